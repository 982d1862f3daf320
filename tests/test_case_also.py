"""The `also` list of a fail case (findings of other rules its defect raises too): what the loader accepts and rejects."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROFILES

from ldt_conform import cases as rule_cases
from ldt_conform import profile as profiles
from ldt_conform.errors import ProfileError

LDT = profiles.load(str(PROFILES / "ldt4ssc" / "profile.toml"))
RULE = next(r for r in LDT.rules if r.id == "LDT-101")
PASS = '''
[[cases]]
name = "with-service"
expect = "pass"
data = "ex:cat a dcat:Catalog ; dcat:service ex:svc ."
'''
FAIL = '''
[[cases]]
name = "without-service"
expect = "fail"
data = "ex:cat a dcat:Catalog ."
findings = [{ focus = "http://example.org/cat", path = "http://www.w3.org/ns/dcat#service", shape = "ldt:Catalog-service" }]
'''


def _load(tmp_path: Path, text: str) -> rule_cases.RuleCases:
    path = tmp_path / "LDT-101.toml"
    path.write_text('rule = "LDT-101"\n' + text, encoding="utf-8")
    return rule_cases.load(path, RULE, LDT.prefixes)


def test_also_is_read_with_its_rule(tmp_path: Path) -> None:
    loaded = _load(tmp_path, PASS + FAIL + 'also = [{ rule = "DCATAP-408", focus = "http://example.org/cat", '
                                             'path = "http://www.w3.org/ns/dcat#service" }]\n')
    case = loaded.case("without-service")
    assert case.also == (rule_cases.Expected("http://example.org/cat", "http://www.w3.org/ns/dcat#service",
                                             rule="DCATAP-408"),)
    assert "and also (same check in another rule): DCATAP-408 focus=http://example.org/cat" in rule_cases.describe(loaded)


def test_no_also_is_an_empty_tuple(tmp_path: Path) -> None:
    assert _load(tmp_path, PASS + FAIL).case("without-service").also == ()


@pytest.mark.parametrize("text,where,says", [
    (PASS.replace('data = "', 'also = [{ rule = "DCATAP-408", focus = "x" }]\ndata = "') + FAIL,
     "cases[0].also", "only a fail case"),
    (PASS + FAIL + 'also = [{ rule = "LDT-101", focus = "http://example.org/cat" }]\n', "cases[1].also[0].rule", "itself"),
    (PASS + FAIL + 'also = [{ focus = "http://example.org/cat" }]\n', "cases[1].also[0].rule", "required"),
    (PASS + FAIL + 'also = [{ rule = "DCATAP-408" }]\n', "cases[1].also[0].focus", "required"),
    (PASS + FAIL + 'also = [{ rule = "DCATAP-408", focus = "x", shape = "ldt:Catalog-service" }]\n',
     "cases[1].also[0].shape", "unknown key"),
    (PASS + FAIL + "also = []\n", "cases[1].also", "omit it when empty"),
    (PASS + FAIL + 'also = [{ rule = "DCATAP-408", focus = 1 }]\n', "cases[1].also[0].focus", "must be a string"),
], ids=["on-a-pass-case", "own-rule", "no-rule", "no-focus", "shape-key", "empty-list", "not-a-string"])
def test_bad_also_is_rejected_naming_the_key(tmp_path: Path, text: str, where: str, says: str) -> None:
    with pytest.raises(ProfileError) as info:
        _load(tmp_path, text)
    assert f"LDT-101.toml#{where}" in str(info.value) and says in str(info.value)
