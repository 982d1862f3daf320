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

ALL = (UNREACHABLE, CRASH, UNMAPPED, OFFLINE, SKIPPED)


def is_tool_rule(rule_id: str) -> bool:
    """True for the tool's own findings, which never count as evidence for a MIM level."""
    return rule_id.startswith(PREFIX)
