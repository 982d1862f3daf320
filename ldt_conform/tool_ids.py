"""The tool's own rule IDs (LC-…): the one place code names them; their texts live in tool_rules.toml beside it."""
from __future__ import annotations

PREFIX = "LC-"
# A target (API endpoint, payload source) could not be read or reached.
UNREACHABLE = "LC-001"
# A check crashed while evaluating a target; its rules get status error.
CRASH = "LC-002"
# A SHACL result that no rule of the profile owns.
UNMAPPED = "LC-003"
# An artefact that is neither cached nor seeded, in an offline run: not verifiable offline.
OFFLINE = "LC-004"
# --lenient: a statement of an RDF input that could not be read (a bad IRI or token, invalid RDF/XML) was skipped.
SKIPPED = "LC-006"

# Paged catalogues (paging.py); LC-010…019 are kept for the page chain.
# A next-page link the tool will not follow: another host than the catalogue URL, or outside the input's folder.
PAGE_REFUSED = "LC-010"
# A next-page link back to a page already read: the chain ends there.
PAGE_LOOP = "LC-011"
# --max-pages was reached while the chain went on.
PAGES_UNREAD = "LC-012"

ALL = (UNREACHABLE, CRASH, UNMAPPED, OFFLINE, SKIPPED, PAGE_REFUSED, PAGE_LOOP, PAGES_UNREAD)


def is_tool_rule(rule_id: str) -> bool:
    """True for the tool's own findings, which never count as evidence for a MIM level."""
    return rule_id.startswith(PREFIX)
