"""What redaction (redact.py) masks, exactly: URL passwords, registered secrets and their bare tokens, control
characters, overlong fields; in single strings, in findings streamed one by one, and in whole reports."""
from __future__ import annotations

import base64
from dataclasses import replace
from typing import Iterator

import pytest

from ldt_conform import redact
from ldt_conform.model import Finding, Severity


@pytest.fixture(autouse=True)
def no_secrets() -> Iterator[None]:
    """Every test starts with no registered secret and leaves none behind (the registry is process-wide)."""
    saved = set(redact._secrets)
    redact._secrets.clear()
    yield
    redact._secrets.clear()
    redact._secrets.update(saved)


@pytest.mark.parametrize(("given", "shown"), [
    ("https://user:pw@host.example/cat.ttl", "https://user:***@host.example/cat.ttl"),
    # requests and urllib read the password up to the last "@" before the host: all of it is masked
    ("https://user:p@ssw0rd@host.example/cat.ttl", "https://user:***@host.example/cat.ttl"),
    ("https://user:pa:ss@host.example/", "https://user:***@host.example/"),
    ("https://user:pw@host.example:8443/x?a=b@c#d@e", "https://user:***@host.example:8443/x?a=b@c#d@e"),
    ("HTTPS://User:PW@Host/", "HTTPS://User:***@Host/"),
    ("ftp://u:pw@h/x and https://v:qq@k/y", "ftp://u:***@h/x and https://v:***@k/y"),
    ("https://user:pw@host and bob@example.org", "https://user:***@host and bob@example.org"),
    ("https://user:@host/", "https://user:***@host/"),
    # no password: nothing to mask
    ("https://user@host.example/x", "https://user@host.example/x"),
    ("https://host.example/p?u=a:b@c", "https://host.example/p?u=a:b@c"),
    ("write to bob@example.org", "write to bob@example.org"),
    ("https://user:pass word@host/x", "https://user:pass word@host/x"),  # a space ends a URL
])
def test_url_passwords_are_masked(given: str, shown: str) -> None:
    assert redact.text(given) == shown


def test_registered_secrets_are_masked_longest_first() -> None:
    redact.register("Bearer abcd1234efgh", "abcd", None, "", "xyz")  # "xyz" is too short to be a secret
    assert redact.secrets() == ["Bearer abcd1234efgh", "abcd1234efgh", "abcd"]
    assert redact.text("Authorization: Bearer abcd1234efgh") == "Authorization: ***"
    assert redact.text("token=abcd1234efgh") == "token=***"  # the bare token, without its scheme word
    assert redact.text("abcd and xyz") == "*** and xyz"


@pytest.mark.parametrize("scheme", ["Bearer", "basic", "TOKEN", "ApiKey", "Digest"])
def test_a_token_after_an_auth_scheme_word_is_a_secret_of_its_own(scheme: str) -> None:
    redact.register(f"{scheme} s3cr3t")
    assert set(redact.secrets()) == {f"{scheme} s3cr3t", "s3cr3t"}


@pytest.mark.parametrize("value", ["Custom s3cr3t", "Bearer abc", "Bearer"])
def test_other_values_are_kept_whole(value: str) -> None:
    redact.register(value)  # another word, a token under four characters, no token at all
    assert redact.secrets() == [value]


def test_a_url_password_is_registered_as_written_decoded_and_as_requests_sends_it() -> None:
    redact.register_url("https://u%20x:p%40ss12@h.example/x https://v:no@k/ https://w@k/ https://é:pä55@k/")
    basic = base64.b64encode(b"u x:p@ss12").decode()
    latin = base64.b64encode("é:pä55".encode("latin-1")).decode()  # requests encodes user:password as latin-1
    short = base64.b64encode(b"v:no").decode()  # a password too short to mask alone still has a token worth masking
    assert set(redact.secrets()) == {"p%40ss12", "p@ss12", f"Basic {basic}", basic, "pä55", f"Basic {latin}", latin,
                                     f"Basic {short}", short}
    assert redact.text("the server said: wrong password p@ss12") == "the server said: wrong password ***"
    assert redact.text(f"echo: Authorization: Basic {basic}") == "echo: Authorization: ***"
    redact.register_url("https://u:€uro@k/")  # beyond latin-1: UTF-8, as a browser would send it
    assert base64.b64encode("u:€uro".encode()).decode() in redact.secrets()


def test_controls_are_escaped_and_line_does_both() -> None:
    assert redact.controls("a\x1b[31mb\nc\td\x7fe\x9ff\u2028g\u2029h é") == (
        "a\\x1b[31mb\\nc\\td\\x7fe\\x9ff\\u2028g\\u2029h é")
    redact.register("s3cr3t")
    assert redact.line("https://u:pw@h/\x1b s3cr3t\n") == "https://u:***@h/\\x1b ***\\n"


def test_clip_keeps_the_limit_and_counts_the_rest() -> None:
    assert redact.MAX_FIELD_CHARS == 2000
    assert redact.clip("x" * 2000) == "x" * 2000
    assert redact.clip("x" * 2001) == "x" * 2000 + "… (1 more characters)"
    assert redact.clip("abcdef", 2) == "ab… (4 more characters)"
    assert redact.clip("y" * 12345, 345) == "y" * 345 + "… (12,000 more characters)"


FINDING = Finding("R-1", Severity.ERROR, "cat.ttl", "http://d.example/1", "a message", path="http://p.example/p",
                  value="v", source="urn:shape", engine="shacl", same_value_as=("R-2",))


def test_streamed_findings_with_nothing_to_mask_are_the_same_objects() -> None:
    redact.register("s3cr3t")
    one = redact.findings()
    assert one(FINDING) is FINDING
    assert one(replace(FINDING, path=None, value=None, source=None, engine=None)).value is None


@pytest.mark.parametrize("field", ["target", "focus", "message", "path", "value", "source", "engine"])
def test_a_secret_in_any_field_of_a_streamed_finding_is_masked(field: str) -> None:
    redact.register("s3cr3t")
    one = redact.findings()
    leaky = replace(FINDING, **{field: f"has s3cr3t and https://u:pw@h/x in {field}"})
    assert getattr(one(leaky), field) == f"has *** and https://u:***@h/x in {field}"
    assert one(leaky) == replace(FINDING, **{field: f"has *** and https://u:***@h/x in {field}"})


def test_a_url_password_or_secret_in_same_value_as_is_masked() -> None:
    redact.register("s3cr3t")
    out = redact.findings()(replace(FINDING, same_value_as=("R-2", "s3cr3t")))
    assert out.same_value_as == ("R-2", "***")


def test_overlong_fields_of_a_streamed_finding_are_clipped_and_short_ones_kept() -> None:
    long_message = "m" * 2500
    out = redact.findings()(replace(FINDING, message=long_message))
    assert out.message == "m" * 2000 + "… (500 more characters)"
    assert out.value == "v"
    # a long finding whose every field is short enough is kept as it is
    fields = replace(FINDING, message="m" * 1500, value="v" * 1500)
    assert redact.findings()(fields) is fields


def test_the_streamed_redaction_reads_the_secrets_when_it_is_made() -> None:
    one = redact.findings()
    redact.register("later-secret")
    leaky = replace(FINDING, value="later-secret")
    assert one(leaky) is leaky  # made before the secret was known
    assert redact.findings()(leaky).value == "***"


def test_a_whole_report_is_masked_in_findings_fields_lists_and_mappings() -> None:
    from dataclasses import dataclass, field

    @dataclass(frozen=True)
    class Box:
        findings: tuple[Finding, ...]
        notes: list[str]
        quality: dict[str, object]
        options: dict[str, object] = field(default_factory=dict)
        count: int = 3

    redact.register("s3cr3t")
    box = Box(findings=(FINDING, replace(FINDING, value="s3cr3t" + "x" * 2500)),
              notes=["ok", "https://u:pw@h/"], quality={"s3cr3t": ["a", 1, None, 2.5], "k": {"t": "s3cr3t"}},
              options={"plain": 1})
    out = redact.report(box)
    assert out.findings[0] is FINDING
    # masked first, then clipped: a secret at the cut is never half shown
    assert out.findings[1].value == "***" + "x" * 1997 + "… (503 more characters)"
    assert out.notes == ["ok", "https://u:***@h/"]
    assert out.quality == {"***": ["a", 1, None, 2.5], "k": {"t": "***"}}
    assert out.options is box.options and out.count == 3
    untouched = Box(findings=(FINDING,), notes=["ok"], quality={"k": "v"})
    assert redact.report(untouched) is untouched


@pytest.mark.parametrize("field", ["target", "focus", "message", "path", "value", "source"])
def test_a_url_password_alone_is_masked_in_a_streamed_finding(field: str) -> None:
    """No secret registered: the "@" alone must send the finding through the mask."""
    leaky = replace(FINDING, **{field: "see https://u:pw@h.example/x"})
    assert getattr(redact.findings()(leaky), field) == "see https://u:***@h.example/x"


def test_every_field_of_a_finding_is_clipped_even_inside_same_value_as() -> None:
    long_rule = "R-" + "9" * 2100
    out = redact.findings()(replace(FINDING, same_value_as=("R-2", long_rule)))
    assert out.same_value_as == ("R-2", long_rule[:2000] + "… (102 more characters)")
    report_out = redact.report(replace(FINDING, same_value_as=(long_rule,)))
    assert report_out.same_value_as == (long_rule[:2000] + "… (102 more characters)",)


def test_a_four_character_token_is_a_secret_of_its_own() -> None:
    redact.register("Bearer abcd")
    assert set(redact.secrets()) == {"Bearer abcd", "abcd"}
