"""GeoJSON (RFC 7946) for the Features and Records tests: bounding boxes, the validity of features and geometries."""
from __future__ import annotations

from typing import Any, Callable

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


def feature_problems(feature: Any) -> list[str]:
    """Every RFC 7946 defect of one Feature (§3.2) and of its geometry (§3.1), in plain words; [] when valid."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return ["every member of features must be a GeoJSON Feature (type \"Feature\")"]
    if "geometry" not in feature or "properties" not in feature:
        return ["a GeoJSON Feature must have geometry and properties members (null is allowed)"]
    problems = []
    if feature["properties"] is not None and not isinstance(feature["properties"], dict):
        problems.append("properties must be an object or null (RFC 7946 §3.2)")
    if ("id" in feature and not isinstance(feature["id"], (str, int, float))) or isinstance(feature.get("id"), bool):
        problems.append("id must be a string or a number (RFC 7946 §3.2)")
    if feature["geometry"] is not None:
        problems += geometry_problems(feature["geometry"])
    return problems


def feature_problem(feature: Any) -> str | None:
    problems = feature_problems(feature)
    return problems[0] if problems else None


def geometry_problems(geometry: Any, where: str = "geometry") -> list[str]:
    """RFC 7946 §3.1: a known type; positions of 2–3 numbers; LineString ≥ 2 positions; closed rings ≥ 4 positions."""
    if not isinstance(geometry, dict):
        return [f"{where} must be null or a GeoJSON geometry object (RFC 7946 §3.1)"]
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES:
        return [f"{where}: unknown geometry type {str(kind)[:40]!r} (RFC 7946 §1.4)"]
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list):
            return [f"{where}: a GeometryCollection needs a geometries array (RFC 7946 §3.1.8)"]
        return [p for i, m in enumerate(members) for p in geometry_problems(m, f"{where}.geometries[{i}]")]
    coordinates = geometry.get("coordinates")
    check = {"Point": _point, "MultiPoint": _many(_point_list(1)), "LineString": _line,
             "MultiLineString": _many(_line), "Polygon": _polygon, "MultiPolygon": _many(_polygon)}[kind]
    return [f"{where} ({kind}): {p}" for p in check(coordinates)]


def _position(value: Any) -> str | None:
    if not isinstance(value, list) or not 2 <= len(value) <= 3:
        return f"a position must have 2 or 3 ordinates, got {str(value)[:60]} (RFC 7946 §3.1.1)"
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return f"ordinates must be numbers, got {str(value)[:60]} (RFC 7946 §3.1.1)"
    return None


def _point(value: Any) -> list[str]:
    problem = _position(value)
    return [problem] if problem else []


def _point_list(minimum: int) -> Callable[[Any], list[str]]:
    def check(value: Any) -> list[str]:
        if not isinstance(value, list) or len(value) < minimum:
            return [f"needs an array of at least {minimum} position(s), got {str(value)[:60]}"]
        return [p for p in (_position(v) for v in value) if p][:1]
    return check


def _line(value: Any) -> list[str]:
    if isinstance(value, list) and len(value) < 2:
        return [f"a LineString needs 2 or more positions, got {len(value)} (RFC 7946 §3.1.4)"]
    return _point_list(2)(value)


def _polygon(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        return [f"a Polygon needs an array of linear rings, got {str(value)[:60]} (RFC 7946 §3.1.6)"]
    for ring in value:
        problems = _point_list(1)(ring)
        if problems:
            return problems
        if len(ring) < 4:
            return [f"a linear ring needs 4 or more positions, got {len(ring)} (RFC 7946 §3.1.6)"]
        if ring[0] != ring[-1]:
            return ["a linear ring must be closed: its first and last positions must be equal (RFC 7946 §3.1.6)"]
    return []


def _many(check: Any) -> Any:
    def many(value: Any) -> list[str]:
        if not isinstance(value, list):
            return [f"coordinates must be an array, got {str(value)[:60]}"]
        return [p for member in value for p in check(member)][:1]
    return many


def within(inner: tuple[float, ...], outer: tuple[float, ...], slack: float = 1e-9) -> bool:
    return (outer[0] - slack <= inner[0] and inner[2] <= outer[2] + slack and outer[1] - slack <= inner[1]
            and inner[3] <= outer[3] + slack)
