"""OGC API – Records Part 1 (OGC 20-004r1): the read-only Core tests; typos in class URIs normalised, drafts flagged."""
from __future__ import annotations

import json
import re
from functools import partial
from typing import Any, Callable, Mapping

from ldt_conform.checks.api import geojson
from ldt_conform.checks.api import ogc_common as oc
from ldt_conform.checks.api import ogc_data, ogc_features
from ldt_conform.checks.api.probe import Issue, Probe, Skip, and_more, links_of

RECORDS = "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/"
Test = Callable[[Probe, Mapping[str, Any]], list[Issue]]
# Misspellings met in published documents and servers → the class they mean.
TYPOS = {"record-api": "records-api", "records-core": "record-core", "recordcore": "record-core",
         "record-collections": "record-collection", "records-collection": "record-collection",
         "recordcollection": "record-collection"}
# Draft URIs (2020–2022 snapshots, still served by pygeoapi 0.21) → the 1.0 classes they grew into.
DRAFTS = {"core": ("records-api", "record-core", "record-collection"), "opensearch": (), "cql-filter": (),
          "searchable-catalog": ("records-api",), "local-resources-catalog": ("records-api",)}

# Classes the server declares and no rule tests are listed under this rule ("declared, not tested").
CONFORMANCE_RULE = "OAREC-002"
CONFORMANCE_PATH = "/conformance"
# Draft URIs stand for the 1.0 classes they became (tested as those; OAREC-003 warns about them).
COVERED = frozenset(RECORDS + name for name in DRAFTS if DRAFTS[name])

def normalise(uri: str) -> str:
    uri = uri.strip().rstrip("/").replace("https://", "http://")
    uri = re.sub(r"/ogcapi-records?-1/1\.0(\.\d+)?(-draft[^/]*)?/(conf|req)/", "/ogcapi-records-1/1.0/conf/", uri)
    if uri.startswith(RECORDS):
        name = uri[len(RECORDS):]
        return RECORDS + TYPOS.get(name, name)
    return uri


def declared(probe: Probe) -> set[str]:
    classes = {normalise(c) for c in oc.conformance(probe)[1]}
    for uri in list(classes):
        if uri.startswith(RECORDS) and uri[len(RECORDS):] in DRAFTS:
            classes |= {RECORDS + name for name in DRAFTS[uri[len(RECORDS):]]}
    return classes


def _catalogues(probe: Probe) -> list[dict[str, Any]]:
    return oc.collection_entries(probe, "record")


def _first_record(probe: Probe) -> tuple[dict[str, Any], str, dict[str, Any]]:
    for entry in _catalogues(probe):
        try:
            record_id, record = oc.first_item(probe, entry)
        except Skip:
            continue
        return entry, record_id, record
    raise Skip("no catalogue holds a record to test")


def landing_page(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    return ogc_features.root_success(probe, params)


def conformance_classes(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, classes = oc.conformance(probe)
    if not any(normalise(c).startswith(RECORDS) for c in classes):
        return [Issue(probe.focus(response.url), "no Records class", f"declare {RECORDS}records-api and "
                                                                      f"{RECORDS}record-core in conformsTo")]
    return []


def current_uris(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, classes = oc.conformance(probe)
    issues = []
    for uri in classes:
        fixed = normalise(uri)
        if not fixed.startswith(RECORDS):
            continue
        name = fixed[len(RECORDS):]
        if name in DRAFTS:
            wanted = ", ".join(RECORDS + n for n in DRAFTS[name]) or "the 1.0 class it became, or drop it"
            issues.append(Issue(probe.focus(response.url), uri, f"old draft URI; declare {wanted}"))
        elif fixed != uri.strip():
            issues.append(Issue(probe.focus(response.url), uri, f"misspelt class URI; write {fixed}"))
    return issues


def collections_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    oc.collections(probe)
    return []


def catalogue_properties(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, _ = oc.collections(probe)
    issues = []
    for entry in _catalogues(probe):
        missing = [k for k in ("id", "title", "links") if not entry.get(k)]
        if missing:
            issues.append(Issue(probe.focus(response.url), f"catalogue {entry.get('id')}: {', '.join(missing)}",
                                "a catalogue needs id, title, itemType \"record\" and links"))
    return issues


def records_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for entry in _catalogues(probe):
        response, document = oc.items(probe, entry)
        if document.get("type") != "FeatureCollection" or not isinstance(document.get("features"), list):
            issues.append(Issue(probe.focus(response.url), f"type={document.get('type')}",
                                "the records of a catalogue must be a FeatureCollection with a features array"))
    return issues


def record_properties(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for entry in _catalogues(probe):
        response, document = oc.items(probe, entry)
        for record in (document.get("features") or [])[:20]:
            problem = _record_problem(record)
            if problem:
                issues.append(Issue(probe.focus(response.url), str(record.get("id") if isinstance(record, dict)
                                                                    else record)[:60], problem))
    return issues


def record_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    entry, record_id, _ = _first_record(probe)
    response, record = probe.json(oc.items_url(probe, entry).split("?")[0] + "/" + record_id,
                                  accept=oc.ITEMS_ACCEPT)
    if not isinstance(record, dict) or str(record.get("id")) != record_id:
        return [Issue(probe.focus(response.url), str(record.get("id") if isinstance(record, dict) else record)[:60],
                      f"the record resource must be record {record_id}")]
    return []


def record_links(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/records-api/record-response B, C (self and collection links, each with rel) and /req/record-core/links B
    (a record is a member of one catalogue: exactly one collection link)."""
    entry, record_id, _ = _first_record(probe)
    response, record = probe.json(oc.items_url(probe, entry).split("?")[0] + "/" + record_id,
                                  accept=oc.ITEMS_ACCEPT)
    focus = probe.focus(response.url)
    issues = oc.check_links(probe, focus, record, ("self", "collection"))
    collections = [link for link in links_of(record) if link.get("rel") == "collection"]
    if len(collections) > 1:
        issues.append(Issue(focus, f"{len(collections)} collection links",
                            "a record is a member of one catalogue: give exactly one link with rel \"collection\""))
    return issues


def query_limit(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    for entry in _catalogues(probe):
        response, document = oc.items(probe, entry, limit=1)
        if len(document.get("features") or []) > 1:
            return [Issue(probe.focus(response.url), f"{len(document['features'])} records",
                          "limit=1 must return at most one record")]
    return []


def query_q(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/record-core-query-parameters/query-param-q-response: the records whose text holds the term, and only those;
    the term is a word of the first record's title, so that record must be found."""
    _, record_id, record = _first_record(probe)
    title = str((record.get("properties") or {}).get("title") or "")
    words = list(re.findall(r"[A-Za-z]{4,}", title))
    if not words:
        raise Skip("the first record has no title word to search for")
    word = words[0]
    return _search(probe, "q", word, lambda r: word.lower() in json.dumps(r, ensure_ascii=False).lower(),
                   f"records that mention {word}", record_id)


def query_bbox(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/record-core-query-parameters/query-param-bbox: only records whose geometry intersects the box (a record
    without a geometry does not); a box around a record of the catalogue must find it, one far from it finds none."""
    entry, _, _ = _first_record(probe)
    whole = ogc_data.unfiltered(probe, entry)
    placed = [(box, str(r.get("id"))) for r in whole.features if isinstance(r, dict)
              and (box := geojson.geometry_bbox(r.get("geometry"))) is not None]
    if not placed:
        raise Skip(f"no record of catalogue {entry['id']} has a geometry to query bbox with")
    record_box, record_id = placed[0]
    issues = []
    for box, must_find in ((ogc_data.around(record_box), record_id), (ogc_data.FAR, None)):
        issues += _search(probe, "bbox", ogc_data.bbox_text(box), _intersecting(box),
                          "records whose geometry intersects the box", must_find)
    return issues


def _intersecting(box: ogc_data.Box) -> Callable[[dict[str, Any]], bool]:
    def keep(record: dict[str, Any]) -> bool:
        found = geojson.geometry_bbox(record.get("geometry"))
        return found is not None and geojson.intersects(found, box)
    return keep


def _search(probe: Probe, name: str, value: str, keep: Callable[[dict[str, Any]], bool], wanted: str,
            must_find: str | list[str] | None) -> list[Issue]:
    """One searchable-catalogue parameter: every record returned satisfies it, and the records owed to it (the one
    the value was taken from, or those whose own data match it) are among them (when the result was read whole)."""
    focus, found = _query(probe, name, value)
    return _judge(focus, found, f"{name}={value}", keep, wanted, must_find)


def _query(probe: Probe, name: str, value: str) -> tuple[str, oc.Walk]:
    entry, _, _ = _first_record(probe)
    url = oc.items_url(probe, entry).split("?")[0]
    found = oc.walk(probe, url, params={name: value, "limit": 100}, max_pages=2)
    return probe.focus(found.pages[0][0].url), found


def _judge(focus: str, found: oc.Walk, asked: str, keep: Callable[[dict[str, Any]], bool], wanted: str,
           must_find: str | list[str] | None) -> list[Issue]:
    records = [r for r in found.features if isinstance(r, dict)]
    wrong = [r for r in records if not keep(r)]
    issues = []
    if wrong:
        issues.append(Issue(focus, f"record {wrong[0].get('id')}{and_more(len(wrong))}",
                            f"{asked} must select only {wanted}"))
    owed = [must_find] if isinstance(must_find, str) else list(must_find or [])
    absent = [] if found.stopped is not None else [i for i in owed if i not in {str(r.get("id")) for r in records}]
    if absent:
        issues.append(Issue(focus, f"record {absent[0]} missing{and_more(len(absent))}",
                            f"{asked} must select record {absent[0]}" if len(owed) == 1 else
                            f"{asked} must select the records whose own data match it"))
    return issues


def query_type(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/record-core-query-parameters/query-param-type-response: only records whose properties.type is listed."""
    _, record_id, record = _first_record(probe)
    kind = (record.get("properties") or {}).get("type")
    if not isinstance(kind, str) or not kind or "," in kind:
        raise Skip("the first record has no single properties.type to search for")
    return _search(probe, "type", kind, lambda r: (r.get("properties") or {}).get("type") == kind,
                   f"records whose type is {kind}", record_id)


def query_ids(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/record-core-query-parameters/query-param-ids-response: only the records whose id is listed."""
    _, record_id, _ = _first_record(probe)
    return _search(probe, "ids", record_id, lambda r: str(r.get("id")) == record_id,
                   f"the record {record_id}", record_id)


def query_datetime(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/record-core-query-parameters/query-param-datetime: only records whose temporal extent intersects datetime.
    As in Features, the server chooses which temporal property it filters on, so a record passes when any of its
    temporal values (time, or a date property such as updated) intersects the query, and a record is owed to the
    query when every one of its temporal values intersects it (whichever the server chose, it matches). Two queries:
    the instant in the middle of the records' times (a server that ignores datetime returns records outside it), and
    the interval from the first to the last (every record with a time is owed to it: a server that answers nothing
    is not filtering). Queries that owe nothing and return nothing prove nothing: not verified."""
    from ldt_conform.checks.api.ogc_data import Interval, _text, meets_any, owed_to

    entry, _, _ = _first_record(probe)
    whole = ogc_data.unfiltered(probe, entry)
    starts = ogc_data.starts_of(whole.features)
    if not starts:
        raise Skip("no record has a time to compare datetime with")
    moment = starts[len(starts) // 2]
    queries: dict[str, Interval] = {_text(moment): (moment, moment),
                                    f"{_text(starts[0])}/{_text(starts[-1])}": (starts[0], starts[-1])}
    issues: list[Issue] = []
    answered = owing = False
    for text, query in queries.items():
        owed = [str(r.get("id")) for r in whole.features if owed_to(r, query)] if whole.stopped is None else []
        focus, found = _query(probe, "datetime", text)
        issues += _judge(focus, found, f"datetime={text}", partial(meets_any, query=query),
                         "records whose time intersects it", owed)
        answered = answered or any(isinstance(r, dict) for r in found.features)
        owing = owing or bool(owed)
    if not issues and not owing and not answered:
        why = (f"the catalogue was not read whole ({whole.stopped})" if whole.stopped is not None else
               "no record has all its times inside them, and the server chooses which time it filters on")
        raise Skip(f"datetime returned no record to {' or '.join(queries)} and no record is owed to them ({why}): "
                   f"nothing was verified")
    return issues


def _record_problem(record: Any) -> str | None:
    if not isinstance(record, dict):
        return "a record must be a JSON object"
    if record.get("type") != "Feature":
        return "a record must be a GeoJSON Feature (type \"Feature\")"
    missing = [k for k in ("id", "geometry", "properties") if k not in record]
    if missing:
        return f"a record needs {', '.join(missing)} (geometry may be null)"
    props = record.get("properties")
    missing = [k for k in ("type", "title") if not (isinstance(props, dict) and props.get(k))]
    if missing:
        return f"a record's properties need {', '.join(missing)}"
    if "time" not in record:
        return "a record needs a time member (null when unknown)"
    # links is optional in the core-properties table of 20-004r1 (§7.2.1): a record without links is valid.
    return None


TESTS: dict[str, Test] = {
    "landing_page": landing_page, "conformance_classes": conformance_classes, "current_uris": current_uris,
    "collections_op": collections_op, "catalogue_properties": catalogue_properties, "records_op": records_op,
    "record_properties": record_properties, "record_op": record_op, "record_links": record_links,
    "query_limit": query_limit, "query_q": query_q, "query_bbox": query_bbox, "query_type": query_type,
    "query_ids": query_ids, "query_datetime": query_datetime,
}
