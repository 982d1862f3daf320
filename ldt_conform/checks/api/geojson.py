"""GeoJSON (RFC 7946) helpers for the Features and Records tests: bounding boxes and the shape of a Feature."""
from __future__ import annotations

from typing import Any

GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                  "GeometryCollection"}


def is_bbox(value: Any) -> bool:
    return isinstance(value, list) and len(value) in (4, 6) and all(isinstance(v, (int, float)) for v in value)


def collection_bbox(entry: dict[str, Any]) -> tuple[float, float, float, float] | None:
    extent = entry.get("extent")
    spatial = extent.get("spatial") if isinstance(extent, dict) else None
    boxes = spatial.get("bbox") if isinstance(spatial, dict) else None
    if isinstance(boxes, list) and boxes and is_bbox(boxes[0]):
        box = boxes[0]
        return (box[0], box[1], box[-2], box[-1]) if len(box) == 4 else (box[0], box[1], box[3], box[4])
    return None


def coordinates(node: Any) -> list[tuple[float, float]]:
    if isinstance(node, list) and len(node) >= 2 and all(isinstance(v, (int, float)) for v in node[:2]):
        return [(float(node[0]), float(node[1]))]
    if isinstance(node, list):
        return [pair for child in node for pair in coordinates(child)]
    return []


def geometry_bbox(geometry: Any) -> tuple[float, float, float, float] | None:
    if not isinstance(geometry, dict):
        return None
    pairs = coordinates(geometry.get("coordinates"))
    for member in geometry.get("geometries") or []:
        pairs += coordinates(member.get("coordinates") if isinstance(member, dict) else None)
    if not pairs:
        return None
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    return min(xs), min(ys), max(xs), max(ys)


def intersects(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def feature_problem(feature: Any) -> str | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return "every member of features must be a GeoJSON Feature (type \"Feature\")"
    if "geometry" not in feature or "properties" not in feature:
        return "a GeoJSON Feature must have geometry and properties members (null is allowed)"
    geometry = feature["geometry"]
    if geometry is not None and (not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES):
        return "geometry must be null or a GeoJSON geometry (RFC 7946 §3.1)"
    if isinstance(geometry, dict) and geometry["type"] != "GeometryCollection" and not isinstance(
            geometry.get("coordinates"), list):
        return "a GeoJSON geometry needs a coordinates array"
    return None


def within(inner: tuple[float, ...], outer: tuple[float, ...], slack: float = 1e-9) -> bool:
    return (outer[0] - slack <= inner[0] and inner[2] <= outer[2] + slack and outer[1] - slack <= inner[1]
            and inner[3] <= outer[3] + slack)
