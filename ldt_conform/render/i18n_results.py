"""Result reasons in the report's language: why a rule is not verified, and what a pass with limits did not test.

render/i18n.py's `reason` asks here first. The sentences are written in English by the checks (checks/api, and the
engine, the catalogue and payload checks, paging and Dask around them); the report keeps them so (its contract), and
each is matched here by its English pattern and rebuilt from [lang.result_reasons] in ldt_conform/i18n.toml."""
from __future__ import annotations

import re
from functools import lru_cache

from ldt_conform.render.i18n import _t, phrase

# The live-API checks' result reasons (checks/api: why a rule is not verified, and the "not tested: …" of a pass with
# limits), matched by their English sentences and rebuilt from [lang.result_reasons]. In a pattern, {name} is a dynamic
# part without the "; " that joins a reason's parts; a few groups are translated in turn: {reason} is a whole nested
# reason (the pattern matches only when some of it is translated: no French frame around English), {stopped} and
# {why} are sub-sentences of _API_PARTS (kept as they are when none matches), {items} may end in " and N more",
# {or_list}/{and_list} are joined by "or"/"and", {n} chooses the plural form ("it"/"them", "is"/"are" count 1/2) and
# {max}/{pages} are numbers written the language's way. A value a library or the server said stays as it is.
# IDs, URLs, names and numbers are one token ({rule}, {id}, …): "prerequisite X failed" must not take the "failed:
# …" of a longer sentence for an ID.
_PART = r"(?:(?!; ).)+?"
_TOKEN = r"\S+"
_TOKENS = {"count", "families", "family", "host", "id", "label", "listen", "matched", "name", "page", "param", "path",
           "prop", "ref", "rule", "term", "type", "url", "version"}


def _a(key: str, pattern: str) -> tuple[str, re.Pattern[str]]:
    return _t(key, re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m[1]}>{_TOKEN if m[1] in _TOKENS else _PART})", pattern))


_N = r"(?P<n>\d+)"
_API: list[tuple[str, re.Pattern[str]]] = [
    # checks/api/__init__.py
    _a("not_tested", r"not tested: (?P<reason>.+)"),
    _a("not_reachable", r"the API was not reachable: (?P<value>.+)"),
    _a("unknown_family", r"unknown API family '(?P<family>[^']*)' in the profile"),
    _a("applies_to_unknown", r"applies to {family} APIs; this target is unknown"),
    _a("applies_to", r"applies to {family} APIs; this target is {families}"),
    _a("writes_not_selected", r"not selected: a write probe, which runs only with --allow-writes \(it writes to the "
                              r"API, then cleans up\)"),
    _a("circular_requires", r"circular 'requires' between rules"),
    _a("prerequisite_failed", r"prerequisite {rule} failed"),
    _a("prerequisite_skipped", r"prerequisite {rule} was skipped"),
    _a("prerequisite_error", r"prerequisite {rule} could not be evaluated"),
    _a("no_test", r"no test named '(?P<test>[^']*)' in the {family} family"),
    _a("classes_unreadable", r"the declared conformance classes could not be read \({focus}: (?P<value>.+)\)"),
    _a("class_not_declared", r"the server does not declare the conformance class \({classes}\)"),
    # checks/api/transport.py
    _a("plain_http", r"prerequisite {rule} failed: the endpoint is plain HTTP, it has no TLS"),
    _a("no_tls", r"prerequisite {rule} failed: no TLS connection: (?P<value>.+)"),
    _a("hsts_unverified", r"prerequisite {rule} failed: clients ignore HSTS from a host whose certificate they "
                          r"cannot verify"),
    _a("legacy_tls_untested", r"not verified: this machine's OpenSSL cannot offer {and_list}, so whether the server "
                              r"refuses (?P<n>them|it) is unknown \(it negotiates {version}\)"),
    _a("fetch_failed", r"could not fetch the endpoint: (?P<value>.+)"),
    _a("no_auth_declared", r"no OpenID Connect / OAuth 2 authentication is declared for this endpoint"),
    _a("unknown_assertion", r"unknown transport assertion (?P<value>.+)"),
    # ngsi_ld.py, ngsi_subscriptions.py
    _a("broker_empty", r"the broker holds no entity \(GET {path} is empty\)"),
    _a("type_query_empty", r"the query for type {type} returned no entity"),
    _a("empty_page_links_next", r"{focus} answered an empty page that links a next one: nothing to check the filter "
                                r"against"),
    _a("no_filter_property", r"entity {id} has no Property with one number or plain-text value to filter on"),
    _a("projection_needs_two", rf"entity {{id}} has {_N} attributes?: a projection needs one to keep and one to leave "
                               r"out"),
    _a("id_needs_two", rf"no entity of type {{type}} but {{id}} that id= can name among the {_N} read: id= needs two "
                       r"entities of the type to ask for"),
    _a("id_needs_two_partial", rf"no entity of type {{type}} but {{id}} that id= can name among the {_N} read "
                               r"\({stopped}\): id= needs two entities of the type to ask for"),
    _a("id_pattern_unsafe", r"entity id {id} holds a character that regular-expression dialects write differently: "
                            r"no pattern is sure to mean the same to the broker"),
    _a("results_count_partial", rf"{_N} entities of type {{type}} read \({{stopped}}\), NGSILD-Results-Count "
                                r"{count}: the result was not read whole, so the count is not verified"),
    _a("no_point", r"entity {id} has no GeoProperty location holding a Point: no position to ask around"),
    _a("write_probe", r"write probe: run with --allow-writes to create, update and delete a probe entity"),
    _a("cannot_listen", r"cannot listen for notifications on {listen}: (?P<value>.+)"),
    _a("subscriptions_not_selected", r"not selected: a write probe \(it creates an entity and a subscription, and "
                                     r"deletes both\); run with --allow-writes to verify subscriptions"),
    _a("subscription_not_created", r"the probe subscription was not created \({rule}\)"),
    _a("receiver_unreachable", r"not selected: the broker at {host} cannot be assumed to reach a receiver on this "
                               r"machine; give --notify-url \(and --notify-listen\) with an address it can reach"),
    _a("delivery_failed", r"the broker reports that it could not deliver the notification to {url} \({tried}\): it "
                          r"cannot reach this machine there; give --notify-url with an address it can reach"),
    # ogc_common.py, ogc_data.py, ogc_features.py, ogc_oas.py, ogc_parts.py, ogc_records.py
    _a("no_collection", r"the API offers no {or_list} collection to test"),
    _a("prerequisite_every_collection", r"prerequisite {ids} failed for every collection to test"),
    _a("collection_prerequisite", r"collection {id} \(prerequisite {rule} failed for it\)"),
    _a("filter_unproven", r"collection {id}: that {param} returns every feature it selects \(only those "
                          r"returned were checked; {why}\)"),
    _a("collection_reason", r"collection {id}: (?P<reason>.+)"),
    _a("no_item", r"collection {id} has no item to test"),
    _a("first_item_no_id", r"the first item of {id} has no id"),
    _a("no_service_desc", r"the landing page has no service-desc link to an API definition"),
    _a("no_temporal", r"no feature of collection {id} has a temporal property to compare datetime with"),
    _a("datetime_unproven", rf"datetime on collection {{id}} returned no feature to any of its {_N} queries and no "
                            r"feature is owed to them \({why}\): nothing was verified"),
    _a("no_geometry", r"no feature of collection {id} has a geometry to query bbox with"),
    _a("matched_shapeless", r"numberMatched={matched} of collection {id} not verified: {focus} holds no features "
                            r"array to count \(see {rule}\)"),
    _a("matched_partial", rf"numberMatched={{matched}} of collection {{id}} not verified: {{stopped}} after {_N} "
                          r"features"),
    _a("schema_offline", r"the OGC schema {name} \({url}\) is not available offline; the features obey RFC 7946"),
    _a("no_definition_link", r"the landing page links no API definition"),
    _a("items_unreadable", r"the items of collection {id} could not be read \({value}\)"),
    _a("not_openapi", r"the service-desc document is not an OpenAPI document \({value}; see {rule}\)"),
    _a("parameter_offline", r"the {name} parameter may be defined in {url}, which is not available offline"),
    _a("parameter_unserved", r"the {name} parameter may be defined in {url}, which the API did not serve"),
    _a("paths_unread", rf"{_N} paths? of the API definition whose path item could not be read \({{items}}\)"),
    _a("paths_templated", rf"{_N} templated paths? of the API definition without enumerated values \({{items}}\)"),
    _a("paths_need_query", rf"{_N} paths? of the API definition that needs? a query parameter \({{items}}\)"),
    _a("paths_past_cap", rf"{_N} paths? of the API definition past the first (?P<max>[\d,]+) \({{items}}\)"),
    _a("path_items_unread", r"the path items of {paths}, which could not be read"),
    _a("no_queryable_value", r"no string queryable of collection {id} has a value in its features"),
    _a("no_record", r"no catalogue holds a record to test"),
    _a("no_title_word", r"the first record has no title word to search for"),
    _a("record_no_geometry", r"no record of catalogue {id} has a geometry to query bbox with"),
    _a("no_single_type", r"the first record has no single properties\.type to search for"),
    _a("record_no_time", r"no record has a time to compare datetime with"),
    _a("records_unproven", r"datetime returned no record to {or_list} and no record is owed to them \({why}\): "
                           r"nothing was verified"),
    # openapi.py
    _a("not_openapi_3", r"not an OpenAPI 3\.0/3\.1 document \(see the version rule\)"),
    _a("dangling_ref", r"the \$ref {ref} points at nothing \(see {rule}\): the description cannot be validated past "
                       r"it"),
    _a("refs_unreadable", r"the referenced {items} could not be read \(see {rule}\): what lies behind those "
                          r"references was not validated"),
    _a("own_shape_only", r"only the description's own shape was validated: (?P<why>.+)"),
    _a("too_large", r"the description expands to more than (?P<max>[\d,]+) nodes through its \$refs: the referenced "
                    r"parts were not validated"),
    _a("documents_past_cap", rf"{_N} referenced documents? of the API past the first (?P<max>[\d,]+) \({{items}}\)"),
    _a("path_item_refs_unread", rf"{_N} path items? whose \$ref could not be read \({{items}}\)"),
    # sensorthings.py
    _a("no_server_settings", r"the service root has no serverSettings\.conformance \(a SensorThings 1\.0 server\?\)"),
    _a("service_empty", r"the service holds no {name} to test"),
    _a("no_datastreams_link", r"the first Thing has no Datastreams navigation link"),
    _a("top_unseen", rf"fewer than two Observations \({_N}\): \$top=1 cannot be seen to cut the set"),
    _a("iot_count_partial", rf"{_N} Things read in (?P<pages>\d+) pages, @iot\.count {{count}}: the set was not read "
                            r"whole, so the count is not verified"),
    _a("no_named_thing", r"the service holds no Thing with a name to select"),
    _a("top_cuts_nothing", rf"fewer than two Observations \({_N}\): \$top=1 cuts nothing, so there is no next page"),
    _a("no_partial_page", rf"{{focus}} returned {_N} Observations, all the set is known to hold: no partial page to "
                          r"follow \(see {rule}\)"),
    _a("empty_page", r"{focus} answered an empty page: no entity to tell the next page from this one \(see {rule}\)"),
    _a("no_things", r"the service holds no Things to expand"),
    _a("no_datastreams_source", r"{focus}: the Thing has no Datastreams navigation link nor selfLink to read its "
                                r"Datastreams from, so the embedded ones are not verified"),
    _a("datastreams_unreadable", r"the Datastreams of {label} could not be read \({focus}: {value}, see {rule}\), so "
                                 r"the embedded ones are not verified"),
    _a("no_datastreams", r"{label} has no Datastreams: an empty embedded array proves nothing"),
    _a("orderby_values", r"\$orderby={prop}: fewer than two distinct values of (?P=prop) among the Observations"),
    _a("filter_results", r"\$filter on result: fewer than two distinct numeric results among the Observations"),
    _a("filter_times", r"\$filter on phenomenonTime: fewer than two distinct phenomenonTimes among the Observations"),
    _a("no_location_point", r"geo\.intersects: no Location with a Point"),
    _a("locations_unplaced", r"geo\.intersects returned {items} without a GeoJSON position to check against the "
                             r"polygon"),
]
# What stopped a walk of next links (ogc_common.walk, ngsi_ld._walk) and why a filter proved nothing.
_API_PARTS: list[tuple[str, re.Pattern[str]]] = [
    _a("walk_page_cap", r"the walk stopped at the (?P<max>[\d,]+)-page cap"),
    _a("walk_feature_cap", r"the walk stopped at the (?P<max>[\d,]+)-feature cap"),
    _a("walk_byte_cap", r"the walk stopped at the (?P<max>[\d,]+)-byte cap"),
    _a("walk_loops", r"the next link of page {page} points back to a page already read"),
    _a("walk_page_failed", r"page {page} failed: (?P<value>.+)"),
    _a("walk_not_object", r"page {page} is not a JSON object"),
    _a("walk_not_array", r"page {page} is not a JSON array"),
    _a("walk_full_page", r"page {page} is full but links no next page"),
    _a("walk_other_host", r"the next link points to another host"),
    _a("collection_not_whole", r"the collection was not read whole: (?P<stopped>.+)"),
    _a("result_not_whole", r"a filtered result was not read whole: (?P<stopped>.+)"),
    _a("catalogue_not_whole", r"the catalogue was not read whole \((?P<stopped>.+)\)"),
    _a("features_choice", r"no feature has all its temporal values inside them, and the server chooses which it "
                          r"filters on"),
    _a("records_choice", r"no record has all its times inside them, and the server chooses which time it filters on"),
    _a("refs_not_stored", r"the referenced {items} (?P<n>is|are) not in the artefact store \(see {rule}\)"),
    _a("refs_past_cap", rf"{_N} referenced documents? of the API past the first (?P<max>[\d,]+) were not read "
                        r"\({items}\)"),
]
# The result reasons written outside checks/api: why a rule did not run (engine.not_run: one pattern per noun of
# engine._kind_noun) or is not verified (engine._unverified_passes, paging.PARTIAL_REASON, checks/shacl,
# checks/json_schema), what a payload pass did not test (json_schema._untested), and the ERROR reasons whose frame the
# tool wrote around what a library or the OS said (payloads.py's target.error, dask_inputs._lost); the crash reason
# of engine._run_guarded ("ValueError: …") is the library's own text and stays as it is. {needs} is
# shacl_scope.describe's "or"-joined list and {entities} json_schema's list of entities, each part translated in turn
# from _CORE_PARTS; {size} is a number written the language's way.
_URLS = r"(?P<items>\S+(?:, \S+)*)"
_CORE: list[tuple[str, re.Pattern[str]]] = [
    # engine.py
    _a("no_catalogue_target", r"no RDF catalogue target was given"),
    _a("no_payload_target", r"no payload target was given"),
    _a("no_api_target", r"no API target was given"),
    _a("not_selected_run", r"not selected \(--select / --ignore\)"),
    _a("disabled_by_profile", r"disabled by the profile"),
    _a("artefact_not_stored", r"not verifiable: an artefact it needs is not in the artefact store \(LC-004\)"),
    _a("lenient_partial", rf"not verified: --lenient skipped {_N} statements? of this input \(LC-006\); the rule "
                          r"held on the rest"),
    # paging.py
    _a("paged_partial", rf"not verified: the paged catalogue was read only in part \({_N} pages?; see {{rule}}\), so "
                        r"this pass covers only the pages read"),
    # checks/shacl.py
    _a("no_focus_node", r"no focus node in this input \(needs (?P<needs>.+)\)"),
    _a("shards_lost", rf"{_N} shard\(s\) not evaluated"),
    # checks/json_schema.py: the schemas a model needs are URLs ({items} would take any sentence), and the entities
    # a rule could not judge come after "not tested: " (a nested {reason})
    _a("cannot_read_files", rf"not verifiable: cannot read {_URLS}"),
    _a("models_offline", rf"not verifiable offline: {_URLS}"),
    _a("untested_entities", rf"{_N} entit(?:y|ies): (?P<entities>.+)"),
    _a("no_entity_applies", r"no entity this rule applies to"),
    # payloads.py: why a payload source was not read (its rules' ERROR reason)
    _a("payload_unreadable", r"cannot read: (?P<value>.+)"),
    _a("payload_too_large", r"file is (?P<size>[\d,]+) bytes, over the (?P<max>[\d,]+)-byte payload cap; split it "
                            r"\(e\.g\. JSON Lines\) or raise max_payload_bytes"),
    _a("credentials_unset", r"the credentials variable {name} is not set in the environment"),
    # dask_inputs.py: an input whose Dask task gave no report
    _a("dask_budget", r"the input's Dask task exceeded its time budget: (?P<value>.+)"),
    _a("dask_crashed", r"the input's Dask task crashed: (?P<value>.+)"),
    _a("dask_lost", r"the input's Dask task lost: (?P<value>.+)"),
    _a("dask_no_report", r"the input's Dask task gave no report"),
]
# What would give a SHACL rule a focus node (shacl_scope.describe), and why an entity was not judged (json_schema).
_CORE_PARTS: list[tuple[str, re.Pattern[str]]] = [
    _a("needs_instance", r"an instance of {term}"),
    _a("needs_subject", r"a subject of {term}"),
    _a("needs_object", r"an object of {term}"),
    _a("entity_no_id", r"{focus} \(no id\)"),
    _a("entity_no_type", r"{focus} \(no type\)"),
    _a("entity_no_model", r"{focus} \(type (?P<type>.+?): no known data model\)"),
]
_RESULTS = _API + _CORE
# The words the groups above are joined with, and " and N more" (oas_refs.named, probe.and_more).
API_WORDS = ("or", "and", "and_more")
_SPOKEN_COUNTS = {"it": "1", "is": "1", "them": "2", "are": "2"}


def _values(m: re.Match[str], lang: str) -> dict[str, str] | None:
    """The groups of a match, ready for the template; None when a nested {reason}, or a part of {needs} or
    {entities}, is not translated."""
    from ldt_conform.render.numbers import number

    values: dict[str, str] = {}
    for name, value in m.groupdict(default="").items():
        if name == "reason":
            inner = result_reason(value, lang)
            if inner is None:
                return None
            value = inner
        elif name in ("stopped", "why"):
            value = _text(value, lang, _API_PARTS) or value
        elif name == "items":
            shown, more = _and_more(value)
            # the count of a list, for a template whose noun agrees with it (an {n} of the pattern overrides it)
            values.setdefault("n", str(len(shown.split(", ")) + int(more or 0)))
            value = _with_more(shown, more, lang) if more else value
        elif name == "needs":
            said = _core_parts(value.split(" or "), lang)
            if said is None:
                return None
            value = _joined(said, "or", lang)
        elif name == "entities":
            shown, more = _and_more(value)
            # each entity ends in its "(why)": the focus before it may hold a ", " of its own
            said = _core_parts(re.split(r"(?<=\)), ", shown), lang)
            if said is None:
                return None
            value = _with_more(", ".join(said), more, lang) if more else ", ".join(said)
        elif name in ("or_list", "and_list"):
            word = name.removesuffix("_list")
            value = _joined(value.split(f" {word} "), word, lang)
        elif name == "n":
            value = _SPOKEN_COUNTS.get(value, value.replace(",", ""))
        elif name in ("max", "pages", "size"):
            value = number(int(value.replace(",", "")), lang)
        values[name] = value
    return values


def _and_more(value: str) -> tuple[str, str | None]:
    """A list as shown and the count of those left out (" and 3 more"; probe.and_more, oas_refs.named)."""
    more = re.fullmatch(r"(.+) and (\d+) more", value, re.DOTALL)
    return (more[1], more[2]) if more else (value, None)


def _with_more(shown: str, more: str, lang: str) -> str:
    return phrase("and_more", lang, "result_reasons", items=shown, n=more) or f"{shown} and {more} more"


def _joined(parts: list[str], word: str, lang: str) -> str:
    """Parts joined by "or" / "and" in `lang`."""
    return f" {phrase(word, lang, 'result_reasons') or word} ".join(parts)


def _core_parts(parts: list[str], lang: str) -> list[str] | None:
    """Each part of a {needs} or {entities} list in `lang`; None when one is not known (a word describe() or a "why"
    json_schema learnt after this table): no French frame around English."""
    said = []
    for part in parts:
        text = _text(part, lang, _CORE_PARTS)
        if text is None:
            return None
        said.append(text)
    return said


def _text(text: str, lang: str, rules: list[tuple[str, re.Pattern[str]]]) -> str | None:
    for key, pattern in rules:
        m = pattern.match(text)
        values = _values(m, lang) if m else None
        if values is not None:
            return phrase(key, lang, "result_reasons", **values)
    return None


@lru_cache(maxsize=4096)
def result_reason(text: str, lang: str) -> str | None:
    """A result's reason in `lang`, whole or part by part ("; "-joined: the parts of a "not tested" list, the reasons
    of several collections); None when no part of it is one. A part that matches nothing is kept as written."""
    whole = _text(text, lang, _RESULTS)
    if whole is not None or "; " not in text:
        return whole
    parts, said, i = text.split("; "), [], 0
    while i < len(parts):
        # the shortest run of parts that is one sentence: some sentences hold a "; " of their own
        j, found = next(((j, found) for j in range(i + 1, len(parts) + 1)
                         if (found := _text("; ".join(parts[i:j]), lang, _RESULTS)) is not None), (i + 1, None))
        said.append(found if found is not None else parts[i])
        i = j
    if said == parts:
        return None
    from ldt_conform.render.labels import labels

    return labels(lang)["semicolon"].join(said)
