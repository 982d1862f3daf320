"""Finding fingerprints, baseline files (`ldt-conform baseline`, `check --baseline`) and report diffs."""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from ldt_conform.errors import UsageError
from ldt_conform.model import Finding, Report

FORMAT = "ldt-conform/baseline@1"
REPORT_FORMAT = "ldt-conform/report@1"
FINGERPRINT_VERSION = "v1"
DIFF_LIST_LIMIT = 100


def target_identity(source: str) -> str:
    """How a target is named in a fingerprint: the URL, or the path as a normalised relative POSIX path.

    The file's hash is deliberately NOT part of it: reordering or reformatting the file must not turn every
    finding into a new one. CI checkouts live at different absolute paths, so absolute paths under the working
    directory are made relative.
    """
    from ldt_conform.render.common import artifact_uri

    uri = artifact_uri(source)
    if "://" in uri or uri.startswith("file:"):
        return uri
    return os.path.normpath(uri).replace(os.sep, "/")


def fingerprint(rule: str, target: str, focus: str, path: str | None, value: str | None) -> str:
    """sha256 over rule, target identity, focus, path and value (blank nodes are already canonical labels)."""
    fields = (FINGERPRINT_VERSION, rule, target_identity(target), focus, path or "", value or "")
    # surrogatepass: a report read from JSON may hold a lone surrogate ("\ud800"); it must fingerprint, not crash
    return hashlib.sha256("\x1f".join(fields).encode("utf-8", "surrogatepass")).hexdigest()


def finding_fingerprint(finding: Finding | Mapping[str, Any]) -> str:
    if isinstance(finding, Finding):
        return fingerprint(finding.rule, finding.target, finding.focus, finding.path, finding.value)
    return fingerprint(str(finding["rule"]), str(finding["target"]), str(finding["focus"]), finding.get("path"),
                       finding.get("value"))


# --- baseline files -----------------------------------------------------------------------------------------------

def to_baseline(report: Report) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "tool": {"name": "ldt-conform", "version": report.tool_version},
        "created_at": report.finished_at,
        "profile": {"id": report.profile.id, "version": report.profile.version, "sha256": report.profile.sha256},
        "targets": [{"source": target_identity(t.source), "sha256": t.sha256} for t in report.targets],
        "findings": [{k: v for k, v in {
            "fingerprint": finding_fingerprint(f), "rule": f.rule, "severity": f.severity.value,
            "target": target_identity(f.target), "focus": f.focus, "path": f.path, "value": f.value,
            "message": f.message}.items() if v is not None} for f in report.findings],
        **({"quality": _quality().summary(report.quality, target_identity)} if report.quality else {}),
    }


def _quality() -> Any:
    from ldt_conform import quality

    return quality


def render(report: Report) -> str:
    return json.dumps(to_baseline(report), indent=1, ensure_ascii=False) + "\n"


MAX_READ_BYTES = 1024 * 1024 * 1024


def _read_json(path: Path) -> Any:
    from ldt_conform import safety

    try:
        raw = safety.read_regular(path, MAX_READ_BYTES)
        safety.check_json_depth(raw)
        return json.loads(raw, parse_constant=_no_constant)
    except FileNotFoundError:
        raise UsageError(str(path), "no such file") from None
    except safety.Refused as exc:
        raise UsageError(str(path), f"cannot read: {exc}") from None
    except OSError as exc:
        raise UsageError(str(path), f"cannot read: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise UsageError(str(path), f"not a JSON file ({str(exc)[:200]})") from None


def _no_constant(word: str) -> Any:
    raise ValueError(f"{word} is not JSON")


_FINDING_TEXT = ("rule", "target", "focus")
_FINDING_OPTIONAL = ("path", "value", "message", "severity", "fingerprint")


def _check_shape(path: Path, data: dict[str, Any]) -> None:
    """Every field diff/apply reads has the type they expect: a malformed file is one line naming the key, exit 2."""
    for key in ("profile", "summary"):
        if key in data and not isinstance(data[key], dict):
            raise UsageError(f"{path}#{key}", "malformed: must be an object")
    for index, item in enumerate(data["findings"]):
        where = f"{path}#findings[{index}]"
        if not isinstance(item, dict):
            raise UsageError(where, "malformed finding: must be an object")
        for key in _FINDING_TEXT:
            if not isinstance(item.get(key), str):
                raise UsageError(f"{where}.{key}", "malformed finding: a string is required")
        for key in _FINDING_OPTIONAL:
            if item.get(key) is not None and not isinstance(item[key], str):
                raise UsageError(f"{where}.{key}", "malformed finding: must be a string")
    mims = data.get("mims", [])
    if not isinstance(mims, list):
        raise UsageError(f"{path}#mims", "malformed: must be a list")
    for index, item in enumerate(mims):
        if isinstance(item, dict) and "key" in item and not all(
                isinstance(item.get(k, ""), str) for k in ("key", "label", "title", "level")):
            raise UsageError(f"{path}#mims[{index}]", "malformed MIM entry: key, label, title and level are strings")


def load(path: Path, profile_id: str | None = None) -> dict[str, Any]:
    """Read a baseline file; another format (version) or another profile is a usage error (exit 2)."""
    data = _read_json(path)
    found = data.get("format") if isinstance(data, dict) else None
    if found != FORMAT:
        hint = " (a report, not a baseline: write one with `ldt-conform baseline`)" if found == REPORT_FORMAT else ""
        raise UsageError(str(path), f"not a baseline in format {FORMAT} (found {found!r}){hint}")
    if not isinstance(data.get("findings"), list) or not isinstance(data.get("profile"), dict):
        raise UsageError(str(path), "malformed baseline: 'findings' and 'profile' are required")
    _check_shape(path, data)
    if profile_id is not None and data["profile"].get("id") != profile_id:
        raise UsageError(str(path), f"baseline was written for profile {data['profile'].get('id')!r}, "
                                    f"this run uses {profile_id!r}")
    return data  # type: ignore[no-any-return]


def apply(report: Report, path: Path) -> Report:
    """Mark each finding new or known against the baseline; known findings no longer fail the run."""
    marker = Marker(path, report.profile.id)
    marked = tuple(map(marker, report.findings))
    return replace(report, findings=marked, baseline=marker.info())


class Marker:
    """Marks findings new or known one at a time, in report order, so that streamed findings (check --findings
    FILE) are marked as they pass: each baseline entry makes one equal finding known."""

    def __init__(self, path: Path, profile_id: str) -> None:
        self.path = path
        self.data = load(path, profile_id)
        self.remaining: Counter[str] = Counter(str(f.get("fingerprint") or finding_fingerprint(f))
                                               for f in self.data["findings"])
        self.new = self.known = 0

    def __call__(self, finding: Finding) -> Finding:
        digest = finding_fingerprint(finding)
        if self.remaining[digest] > 0:
            self.remaining[digest] -= 1
            self.known += 1
            return replace(finding, baseline="known")
        self.new += 1
        return replace(finding, baseline="new")

    def info(self) -> dict[str, Any]:
        info = {
            "file": str(self.path), "sha256": hashlib.sha256(_raw(self.path)).hexdigest(),
            "created_at": self.data.get("created_at"), "profile": self.data["profile"],
            "new": self.new, "known": self.known, "fixed": sum(self.remaining.values()),
        }
        return {k: v for k, v in info.items() if v is not None}


def _raw(path: Path) -> bytes:
    from ldt_conform import safety

    try:
        return safety.read_regular(path, MAX_READ_BYTES)
    except (safety.Refused, OSError) as exc:
        raise UsageError(str(path), f"cannot read: {exc}") from None


# --- diff -------------------------------------------------------------------------------------------------------------

def _load_findings_file(path: Path) -> dict[str, Any]:
    data = _read_json(path)
    found = data.get("format") if isinstance(data, dict) else None
    if found not in (REPORT_FORMAT, FORMAT):
        raise UsageError(str(path), f"not an ldt-conform report ({REPORT_FORMAT}) or baseline ({FORMAT}); "
                                    f"found format {found!r}")
    if not isinstance(data.get("findings"), list):
        raise UsageError(str(path), "malformed: 'findings' must be a list")
    _check_shape(path, data)
    return data  # type: ignore[no-any-return]


def diff(old_path: Path, new_path: Path) -> dict[str, Any]:
    """Fixed, new and unchanged findings and MIM level changes between two reports (or baselines)."""
    old, new = _load_findings_file(old_path), _load_findings_file(new_path)
    old_items = _keyed(old["findings"])
    new_items = _keyed(new["findings"])
    fixed = [old_items[k] for k in old_items if k not in new_items]
    added = [new_items[k] for k in new_items if k not in old_items]
    unchanged = [new_items[k] for k in new_items if k in old_items]
    old_mims = {m["key"]: m for m in old.get("mims", []) if isinstance(m, dict) and "key" in m}
    new_mims = {m["key"]: m for m in new.get("mims", []) if isinstance(m, dict) and "key" in m}
    from ldt_conform.render.common import LEVEL_RANK

    mims = []
    for key in sorted(set(old_mims) | set(new_mims), key=lambda k: (new_mims.get(k) or old_mims[k]).get("label", k)):
        before = old_mims.get(key, {}).get("level", "not-assessed")
        after = new_mims.get(key, {}).get("level", "not-assessed")
        change = LEVEL_RANK.get(after, 0) - LEVEL_RANK.get(before, 0)
        mims.append({"key": key, "label": (new_mims.get(key) or old_mims[key]).get("label", key),
                     "title": (new_mims.get(key) or old_mims[key]).get("title", key), "old": before, "new": after,
                     "change": "up" if change > 0 else "down" if change < 0 else "same"})
    return {
        "format": "ldt-conform/diff@1",
        "from": _side(old_path, old), "to": _side(new_path, new),
        "summary": {"fixed": len(fixed), "new": len(added), "unchanged": len(unchanged),
                    "mims_up": sum(1 for m in mims if m["change"] == "up"),
                    "mims_down": sum(1 for m in mims if m["change"] == "down")},
        "mims": mims, "fixed": fixed, "new": added, "unchanged": unchanged,
        **({"quality": _quality().change(old, new, target_identity)}
           if old.get("quality") or new.get("quality") else {}),
    }


def _keyed(findings: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    keyed: dict[str, dict[str, Any]] = {}
    seen: Counter[str] = Counter()
    for item in findings:
        digest = finding_fingerprint(item)
        seen[digest] += 1
        entry = {k: item[k] for k in ("rule", "severity", "target", "focus", "path", "value", "message") if k in item}
        keyed[f"{digest}:{seen[digest]}"] = {"fingerprint": digest, **entry}
    return keyed


def _side(path: Path, data: Mapping[str, Any]) -> dict[str, Any]:
    profile = data.get("profile", {})
    summary = data.get("summary", {})
    return {"file": str(path), "format": data.get("format"), "profile": profile.get("id"),
            "profile_version": profile.get("version"), "at": data.get("finished_at") or data.get("created_at"),
            **({"conforms": summary["conforms"]} if "conforms" in summary else {})}


def diff_text(result: Mapping[str, Any], limit: int = DIFF_LIST_LIMIT, lang: str = "en") -> str:
    """The diff as text in `lang` (render/diff.py); the JSON diff (`diff`) stays language-neutral."""
    from ldt_conform.render.diff import render_text

    return render_text(result, lang, limit)
