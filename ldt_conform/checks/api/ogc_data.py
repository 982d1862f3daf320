"""OGC API Features tests that judge responses against the data: datetime and bbox filters, limit, paging, GeoJSON."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, UTC
from typing import Any, Mapping

from ldt_conform.checks.api import geojson, ogc_schemas
from ldt_conform.checks.api import ogc_common as oc
from ldt_conform.checks.api.probe import Issue, Probe, Skip, and_more
from ldt_conform.model import Why

# Items asked per page when reading a collection whole (a server may serve fewer; the walk follows next links).
PAGE = 100
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$")
Interval = tuple[datetime | None, datetime | None]


def collections(probe: Probe) -> list[dict[str, Any]]:
    # Features Core applies to every collection of an API that declares it, record collections included.
    return oc.collection_entries(probe, "feature", "record")


def unfiltered(probe: Probe, entry: dict[str, Any]) -> oc.Walk:
    """The collection read whole (up to the walk's caps), shared by the tests that compare a filter with it."""
    url = oc.items_url(probe, entry).split("?")[0]
    return probe.memo(f"unfiltered:{url}", lambda: oc.walk(probe, url, params={"limit": PAGE}))


def _id(feature: Any) -> str:
    return str(feature.get("id")) if isinstance(feature, dict) else "?"


def _subset(probe: Probe, whole: oc.Walk, focus: str, found: list[Any], what: str) -> list[Issue]:
    """/req/core/fc-response A: the filtered result is part of the unfiltered one (when that was read whole)."""
    if whole.stopped is not None:
        return []
    known = {_id(f) for f in whole.features}
    strangers = [f for f in found if _id(f) not in known]
    if not strangers:
        return []
    return [Issue(focus, f"feature {_id(strangers[0])}{and_more(len(strangers))}",
                  f"{what} returned features that the unfiltered collection does not hold")]


def _missing(probe: Probe, collection: str, whole: oc.Walk, found: oc.Walk, focus: str, wanted: list[str],
             what: str) -> list[Issue]:
    """The features the filter must select (their own data match it) are in the result, when both the collection and
    the result were read whole: a server that ignores a filter by returning nothing is not filtering. Otherwise the
    pass says that only the features returned were checked."""
    if whole.stopped is not None or found.stopped is not None:
        why = (f"the collection was not read whole: {whole.stopped}" if whole.stopped is not None else
               f"a filtered result was not read whole: {found.stopped}")
        note = (f"collection {collection}: that {what.split('=')[0]} returns every feature it selects (only those "
                f"returned were checked; {why})")
        if wanted and note not in probe.untested:
            probe.untested.append(note)
        return []
    got = {_id(f) for f in found.features}
    absent = [w for w in wanted if w not in got]
    if not absent:
        return []
    return [Issue(focus, f"feature {absent[0]} missing{and_more(len(absent))}",
                  f"{what} must select the features whose own data match it")]


# -- datetime ---------------------------------------------------------------------------------------------------
def _instant(text: str) -> Interval | None:
    if not DATE.match(text.strip()):
        return None
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if len(text.strip()) == 10:  # a date is the whole day
        return parsed, parsed + timedelta(days=1) - timedelta(microseconds=1)
    return parsed, parsed


def _interval(value: Any) -> Interval | None:
    if isinstance(value, str):
        return _instant(value)
    if isinstance(value, list) and len(value) == 2 and all(v is None or isinstance(v, str) for v in value):
        ends = [None if v in (None, "..", "") else _instant(str(v)) for v in value]
        if any(v not in (None, "..", "") and e is None for v, e in zip(value, ends)):
            return None
        return (ends[0][0] if ends[0] else None), (ends[1][1] if ends[1] else None)
    return None


def temporal(feature: Any) -> list[tuple[str, Any, Interval]]:
    """(where, raw value, interval) of every temporal value of a feature: date/time properties and JSON-FG/Records
    `time` (date, timestamp, interval)."""
    if not isinstance(feature, dict):
        return []
    found = []
    for key, value in (feature.get("properties") or {}).items() if isinstance(feature.get("properties"),
                                                                              dict) else []:
        interval = _interval(value) if isinstance(value, str) else None
        if interval:
            found.append((key, value, interval))
    time = feature.get("time")
    for key in ("date", "timestamp", "interval"):
        value = time.get(key) if isinstance(time, dict) else None
        interval = _interval(value) if value is not None else None
        if interval:
            found.append((f"time.{key}", value, interval))
    return found


def _meets(value: Interval, query: Interval) -> bool:
    (start, end), (low, high) = value, query
    return (high is None or start is None or start <= high) and (low is None or end is None or end >= low)


def starts_of(features: list[Any]) -> list[datetime]:
    """The distinct known starts of the features' temporal values, earliest first: the data queries are chosen from."""
    return sorted({v[2][0] for f in features for v in temporal(f) if v[2][0] is not None})


def meets_any(feature: Any, query: Interval) -> bool:
    """Satisfies a datetime query: the server may filter on any of its temporal values (or it has none known)."""
    values = temporal(feature)
    return not values or any(_meets(v[2], query) for v in values)


def owed_to(feature: Any, query: Interval) -> bool:
    """Must be selected by a datetime query: every temporal value meets it, so whichever the server filters on does."""
    values = temporal(feature)
    return bool(values) and all(_meets(v[2], query) for v in values)


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def fc_time_response(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/core/fc-time-response: only features whose temporal property intersects datetime are selected, and the
    features whose every temporal value intersects it are; tested with an instant, a closed and both half-open
    intervals chosen from the collection's own data, and the span of its starts. Queries that owe nothing and return
    nothing prove nothing: the collection is then not verified."""
    def check(entry: dict[str, Any]) -> list[Issue]:
        whole = unfiltered(probe, entry)
        starts = starts_of(whole.features)
        if not starts:
            raise Skip(f"no feature of collection {entry['id']} has a temporal property to compare datetime with")
        low, high = starts[len(starts) // 4], starts[len(starts) // 2]
        # The last, the span from the first start to the last, is owed every feature whose values all start in it
        # (most features): a server that answers it with nothing is not filtering, whichever property it chose.
        queries: dict[str, Interval] = {
            _text(high): (high, high), f"{_text(low)}/{_text(high)}": (low, high), f"{_text(high)}/..": (high, None),
            f"../{_text(low)}": (None, low), f"{_text(starts[0])}/{_text(starts[-1])}": (starts[0], starts[-1])}
        issues = []
        answered = owing = False
        url = oc.items_url(probe, entry).split("?")[0]
        for text, query in queries.items():
            found = oc.walk(probe, url, params={"limit": PAGE, "datetime": text}, max_pages=2)
            focus = probe.focus(found.pages[0][0].url)
            outside = [f for f in found.features if not meets_any(f, query)]
            # The server chooses which temporal property it filters on, so a feature must be selected only when
            # every one of its temporal values intersects the query: whichever the server chose, it matches.
            wanted = [_id(f) for f in whole.features if owed_to(f, query)]
            answered = answered or bool(found.features)
            owing = owing or bool(wanted and whole.stopped is None and found.stopped is None)
            if outside:
                where, raw, _ = temporal(outside[0])[0]
                issues.append(Issue(focus, f"feature {_id(outside[0])} ({where}={raw}){and_more(len(outside))}",
                                    f"datetime={text} must select only features whose temporal property "
                                    f"intersects it"))
            issues += _subset(probe, whole, focus, found.features, f"datetime={text}")
            issues += _missing(probe, entry["id"], whole, found, focus, wanted, f"datetime={text}")
        if not issues and not answered and not owing:
            why = (f"the collection was not read whole: {whole.stopped}" if whole.stopped is not None else
                   "no feature has all its temporal values inside them, and the server chooses which it filters on")
            raise Skip(f"datetime on collection {entry['id']} returned no feature to any of its {len(queries)} queries "
                       f"and no feature is owed to them ({why}): nothing was verified")
        return issues
    return oc.each_collection(probe, collections(probe), check)


# -- bbox -------------------------------------------------------------------------------------------------------
Box = tuple[float, float, float, float]
FAR: Box = (-179.9, -89.9, -179.8, -89.8)  # a box far from any data a city twin holds (near the south pole)


def around(box: Box) -> Box:
    """A box that holds ``box`` whole, by a margin below any coordinate precision a server keeps."""
    x1, y1, x2, y2 = box
    return x1 - 1e-6, y1 - 1e-6, x2 + 1e-6, y2 + 1e-6


def bbox_text(box: Box) -> str:
    """The bbox parameter: 7 decimals (about 1 cm), trailing zeros dropped."""
    return ",".join(f"{v:.7f}".rstrip("0").rstrip(".") for v in box)

def fc_bbox_response(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/core/fc-bbox-response: only features whose geometry intersects bbox; a box around one feature of the
    collection (which must be found), and one far from it."""
    def check(entry: dict[str, Any]) -> list[Issue]:
        whole = unfiltered(probe, entry)
        placed = sorted((b, _id(f)) for f in whole.features if isinstance(f, dict)
                        and (b := geojson.geometry_bbox(f.get("geometry"))) is not None)
        if not placed:
            raise Skip(f"no feature of collection {entry['id']} has a geometry to query bbox with")
        middle_box, middle = placed[len(placed) // 2]
        # The box holds the middle feature's whole bounding box, so its geometry intersects the box: it must be found.
        issues = []
        url = oc.items_url(probe, entry).split("?")[0]
        for box, wanted in ((around(middle_box), [middle]), (FAR, [])):
            text = bbox_text(box)
            found = oc.walk(probe, url, params={"limit": PAGE, "bbox": text}, max_pages=2)
            focus = probe.focus(found.pages[0][0].url)
            outside = [f for f in found.features if isinstance(f, dict) and (b := geojson.geometry_bbox(
                f.get("geometry"))) is not None and not geojson.intersects(b, box)]
            if outside:
                issues.append(Issue(focus, f"feature {_id(outside[0])}{and_more(len(outside))}",
                                    f"bbox={text} must select only features whose geometry intersects the box"))
            issues += _subset(probe, whole, focus, found.features, f"bbox={text}")
            issues += _missing(probe, entry["id"], whole, found, focus, wanted, f"bbox={text}")
        return issues
    return oc.each_collection(probe, collections(probe), check)


# -- limit and paging -------------------------------------------------------------------------------------------
def fc_limit_response(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    limit = int(params.get("limit", 2))

    def check(entry: dict[str, Any]) -> list[Issue]:
        response, document = oc.items(probe, entry, limit=limit)
        features = document.get("features")
        if isinstance(features, list) and len(features) > limit:
            return [Issue(probe.focus(response.url), f"{len(features)} features",
                          f"with limit={limit} the response must hold at most {limit} features")]
        return []
    return oc.each_collection(probe, collections(probe), check)


def fc_number_matched(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/core/fc-numberMatched: numberMatched equals the features reached by following next to the end."""
    def check(entry: dict[str, Any]) -> list[Issue]:
        whole = unfiltered(probe, entry)
        first, document = whole.pages[0]
        matched = document.get("numberMatched")
        if matched is None:
            return []
        focus = probe.focus(first.url)
        if not isinstance(matched, int) or isinstance(matched, bool) or matched < 0:
            return [Issue(focus, str(matched)[:40], "numberMatched must be a non-negative integer")]
        if whole.shapeless is not None:
            raise Skip(f"numberMatched={matched} of collection {entry['id']} not verified: "
                       f"{probe.focus(whole.shapeless.url)} holds no features array to count (see OAFEAT-016)",
                       Why.PREREQUISITE_FAILED)
        counted = len(whole.features)
        if whole.stopped is not None:
            if counted > matched:
                return [Issue(focus, f"numberMatched={matched}, paged through {counted} already",
                              "numberMatched must equal the number of features the query selects")]
            raise Skip(f"numberMatched={matched} of collection {entry['id']} not verified: {whole.stopped} "
                       f"after {counted} features", Why.PREREQUISITE_FAILED, [Issue(focus, whole.stopped,
                                                                   f"numberMatched={matched} not verified beyond "
                                                                   f"{counted} features", info=True)])
        if counted != matched:
            return [Issue(focus, f"numberMatched={matched}, paged through {counted}",
                          "numberMatched must equal the number of features the query selects")]
        return []
    return oc.each_collection(probe, collections(probe), check)


def fc_number_returned(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        issues = []
        for response, page in unfiltered(probe, entry).pages:
            returned, features = page.get("numberReturned"), page.get("features")
            # No features array is OAFEAT-016's finding; there is nothing here to count numberReturned against.
            if returned is not None and isinstance(features, list) and returned != len(features):
                issues.append(Issue(probe.focus(response.url), f"numberReturned={returned}, {len(features)} features",
                                    "numberReturned must equal the number of features in the response"))
        return issues
    return oc.each_collection(probe, collections(probe), check)


# -- GeoJSON ----------------------------------------------------------------------------------------------------
def geojson_content(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/geojson/content: every page read validates against featureCollectionGeoJSON (the pinned OGC schema), and
    every feature and geometry obeys RFC 7946; all problems are reported, capped per collection with a count."""
    schema = ogc_schemas.validator(probe, "featureCollectionGeoJSON")

    def check(entry: dict[str, Any]) -> list[Issue]:
        issues = []
        for response, page in unfiltered(probe, entry).pages:
            focus = probe.focus(response.url)
            flawed: set[int] = set()
            raw = page.get("features")
            # features that is not an array is the schema's finding (at /features): it holds no feature to check.
            features: list[Any] = raw if isinstance(raw, list) else []
            for index, feature in enumerate(features):
                for problem in geojson.feature_problems(feature):
                    flawed.add(index)
                    issues.append(Issue(focus, f"feature {_id(feature)}", problem))

            def known(path: list[Any], features: list[Any] = features, flawed: set[int] = flawed) -> bool:
                # A defect the RFC 7946 checks already named is not repeated; a null geometry is valid GeoJSON
                # (RFC 7946 §3.2) although the 1.0 schema cannot say so (OpenAPI 3.0 ignores nullable beside $ref).
                if len(path) < 2 or path[0] != "features" or not isinstance(path[1], int) or path[1] >= len(features):
                    return False
                feature = features[path[1]]
                return path[1] in flawed or (path[2:] == ["geometry"] and isinstance(feature, dict)
                                             and feature.get("geometry") is None)
            for line in ogc_schemas.errors(schema, page, known) if schema is not None else []:
                issues.append(Issue(focus, line, "the response must validate against the OGC schema "
                                                  "featureCollectionGeoJSON"))
        return issues
    issues = oc.each_collection(probe, collections(probe), check)
    if schema is None and not [i for i in issues if not i.info and i.tool_rule is None]:
        raise Skip(f"the OGC schema featureCollectionGeoJSON ({ogc_schemas.FEATURES_1}) is not available offline; "
                   "the features obey RFC 7946", Why.ARTEFACT_UNAVAILABLE)
    return issues
