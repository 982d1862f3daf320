"""safety.py, exactly: every refusal with its words, and every bound at its edge.

The hostile suite (tests/hostile) proves end to end that a bad input becomes one line and exit 2; these cases pin the
module's own decisions (which file kinds are opened, how deep is too deep, how far an entity may expand, where a
manifest path may lead) so that a changed bound or a lost branch fails here, by name."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from ldt_conform import safety
from ldt_conform.safety import ConfinedPath, Refused


def _refusal(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(Refused) as refused:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(refused.value)


# --- files ---------------------------------------------------------------------------------------------------------

def test_a_fifo_without_a_writer_is_refused_at_once(tmp_path: Path) -> None:
    """open() on a FIFO blocks until a writer comes: the refusal must not wait for one (O_NONBLOCK). First in the
    file, so that without O_NONBLOCK this test fails before another one hangs on a FIFO."""
    import threading

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    said: list[str] = []
    reader = threading.Thread(target=lambda: said.append(_refusal(safety.open_regular, fifo)), daemon=True)
    reader.start()
    reader.join(10)
    blocked = reader.is_alive()
    if blocked:  # release the blocked open, then fail
        os.close(os.open(fifo, os.O_WRONLY))
        reader.join(10)
    assert not blocked, "open_regular blocked on a FIFO until a writer came"
    assert said == ["not a regular file (a FIFO); never opened for reading"]


def test_a_regular_file_is_read_whole_or_by_its_head(tmp_path: Path) -> None:
    data = b"x" * (safety.HEAD_BYTES + 10)
    (tmp_path / "f").write_bytes(data)
    assert safety.read_regular(tmp_path / "f") == data
    assert safety.read_regular(tmp_path / "f", head_only=True) == data[:safety.HEAD_BYTES]
    (tmp_path / "short").write_bytes(b"abc")
    assert safety.read_regular(tmp_path / "short") == b"abc"
    assert safety.read_regular(tmp_path / "short", head_check=True) == b"abc"


def test_a_binary_head_is_refused_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "bin").write_bytes(b"@prefix\0")
    assert _refusal(safety.read_regular, tmp_path / "bin", head_check=True) == "binary file, not text"
    assert safety.read_regular(tmp_path / "bin") == b"@prefix\0"
    # a NUL past the head is the parser's business, not a binary file
    late = b"a" * safety.HEAD_BYTES + b"\0"
    (tmp_path / "late").write_bytes(late)
    assert safety.read_regular(tmp_path / "late", head_check=True) == late


def test_the_size_cap_is_inclusive(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"12345")
    assert safety.read_regular(tmp_path / "f", cap=5) == b"12345"
    assert _refusal(safety.read_regular, tmp_path / "f", cap=4) == "file is 5 bytes, over the 4-byte cap"
    (tmp_path / "big").write_bytes(b"x" * 1234)
    assert _refusal(safety.open_regular, tmp_path / "big", 1000) == "file is 1,234 bytes, over the 1,000-byte cap"


def test_a_file_that_grows_past_the_cap_while_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # /proc-like files report a size of 0 and then give more: the bytes read are counted too
    (tmp_path / "f").write_bytes(b"x" * (safety.HEAD_BYTES + 100))
    real = os.fstat

    def shrunk(fd: int) -> os.stat_result:
        info = real(fd)
        return os.stat_result((info.st_mode, *info[1:6], 0, *info[7:]))

    monkeypatch.setattr(safety.os, "fstat", shrunk)
    assert _refusal(safety.read_regular, tmp_path / "f", cap=safety.HEAD_BYTES + 99) == (
        f"file is over the {safety.HEAD_BYTES + 99:,}-byte cap")
    assert len(safety.read_regular(tmp_path / "f", cap=safety.HEAD_BYTES + 100)) == safety.HEAD_BYTES + 100


def test_what_is_not_a_regular_file_is_never_read(tmp_path: Path) -> None:
    assert _refusal(safety.open_regular, tmp_path) == "is a directory"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert _refusal(safety.open_regular, fifo) == "not a regular file (a FIFO); never opened for reading"
    assert _refusal(safety.open_regular, Path("/dev/null")) == (
        "not a regular file (a character device); never opened for reading")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock"))
        assert not safety.is_regular(tmp_path / "sock")
    assert safety.is_regular(Path(__file__)) and not safety.is_regular(tmp_path)
    assert not safety.is_regular(tmp_path / "missing") and not safety.is_regular(fifo)


def test_every_special_file_kind_has_its_name() -> None:
    import stat

    assert [safety._kind(mode) for mode in (stat.S_IFIFO, stat.S_IFCHR, stat.S_IFBLK, stat.S_IFSOCK, stat.S_IFLNK)] == [
        "a FIFO", "a character device", "a block device", "a socket", "not a regular file"]


def test_closing_the_handle_closes_the_descriptor(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"data")
    with safety.open_regular(tmp_path / "f") as handle:
        fd = handle.fileno()
        assert handle.read() == b"data"
    with pytest.raises(OSError):
        os.fstat(fd)


def test_no_descriptor_is_left_open_by_a_refusal(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        with pytest.raises(Refused):
            safety.open_regular(fifo)
    assert len(os.listdir("/proc/self/fd")) == before


# --- JSON and XML bounds -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "depth"), [
    ("", 0), ("1", 0), ("{}", 1), ("[[], {}]", 2), ('{"a": [1, {"b": [2]}]}', 4),
    # brackets inside strings, escaped quotes and escaped backslashes do not count
    ('{"a": "[[[[{{{"}', 1), ('{"a": "[[]]"}', 1), (r'["\"[[[", "\\", [1]]', 2), (r'{"k\\": [[]]}', 3),
    # unbalanced leftovers stop the count where the pairs end
    ("[[[]", 1), ("]][[", 0),
])
def test_json_depth(text: str, depth: int) -> None:
    assert safety.json_depth(text) == depth
    assert safety.json_depth(text.encode()) == depth


def test_json_depth_of_text_with_a_lone_surrogate() -> None:
    # a str from a decoder that kept surrogates: counted, not a UnicodeEncodeError
    assert safety.json_depth('["\ud800", [1]]') == 2


def test_json_depth_stops_one_past_the_limit() -> None:
    assert safety.json_depth("[" * 50 + "]" * 50, limit=10) == 11
    assert safety.json_depth("[" * 10 + "]" * 10, limit=10) == 10
    safety.check_json_depth("[" * 100 + "]" * 100)
    assert _refusal(safety.check_json_depth, "[" * 101 + "]" * 101) == "JSON nested more than 100 levels deep"
    assert _refusal(safety.check_json_depth, "[[[]]]", 2) == "JSON nested more than 2 levels deep"


def _xml(depth: int) -> bytes:
    return b"<?xml version='1.0'?>\n" + b"<a>" * depth + b"</a>" * depth


def test_xml_depth_is_bounded_with_the_line() -> None:
    safety.check_xml(_xml(safety.MAX_XML_DEPTH))
    assert _refusal(safety.check_xml, _xml(safety.MAX_XML_DEPTH + 1)) == "XML nested over 500 elements deep (line 2)"
    # siblings do not add up: depth goes down at each end tag
    safety.check_xml(b"<r>" + b"<a><b/></a>" * 600 + b"</r>", max_depth=3)
    assert _refusal(safety.check_xml, b"<r>\n<a>\n<b>\n<c/></b></a></r>", max_depth=3) == (
        "XML nested over 3 elements deep (line 4)")
    # an end tag goes back one level, not to the top
    assert _refusal(safety.check_xml, b"<r><s><x/>\n<b><c/></b></s></r>", max_depth=3) == (
        "XML nested over 3 elements deep (line 2)")


def test_external_entities_are_refused_public_or_system() -> None:
    system = b'<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY e SYSTEM "file:///etc/passwd">\n]>\n<r/>'
    assert _refusal(safety.check_xml, system) == (
        "external XML entity 'e' declared (line 3); external entities are never resolved")
    public = b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY p PUBLIC "-//X//Y" "http://x.example/y">]>\n<r/>'
    assert _refusal(safety.check_xml, public) == (
        "external XML entity 'p' declared (line 2); external entities are never resolved")


def _entities(*declarations: str) -> bytes:
    return ('<?xml version="1.0"?>\n<!DOCTYPE r [\n' + "\n".join(declarations) + "\n]>\n<r/>").encode()


def test_entity_expansion_is_counted_through_references_declared_or_not_used() -> None:
    half = "x" * (safety.MAX_ENTITY_CHARS // 2)
    # two references to a half-limit entity: exactly the limit, allowed, even though nothing uses it
    safety.check_xml(_entities(f'<!ENTITY a "{half}">', '<!ENTITY b "&a;&a;">'))
    assert _refusal(safety.check_xml, _entities(f'<!ENTITY a "{half}">', '<!ENTITY b "&a;&a;y">')) == (
        "XML entity 'b' expands to 65,537 characters, over the limit of 65,536 (line 4); entity expansion bombs "
        "are refused")
    # a reference to an entity not declared (yet) counts as nothing: the limit is on what declarations expand to
    safety.check_xml(_entities(f'<!ENTITY a "{"x" * safety.MAX_ENTITY_CHARS}&zz;">'))


def test_expat_s_own_entity_errors_are_refusals() -> None:
    # expat (2.4+) stops a document whose entity references amplify its input too far, each declaration being small
    entity = "x" * 60_000
    bomb = f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "{entity}">]>\n<r>{"&a;" * 300}</r>'.encode()
    assert _refusal(safety.check_xml, bomb) == (
        "XML entity expansion refused at line 3: limit on input amplification factor (from DTD and entities) "
        "breached")
    assert _refusal(safety.check_xml, b"<r>\n&nope;</r>") == "XML entity expansion refused at line 2: undefined entity"


def test_other_xml_errors_are_left_to_the_rdf_parser() -> None:
    safety.check_xml(b"<r><unclosed></r>")
    safety.check_xml(b"not xml at all")


# --- paths a manifest names ----------------------------------------------------------------------------------------

def test_a_manifest_path_may_only_reach_its_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    twin, outside = tmp_path / "twin", tmp_path / "elsewhere"
    twin.mkdir()
    outside.mkdir()
    (twin / "cat.ttl").write_text("", "utf-8")
    (outside / "secret.ttl").write_text("", "utf-8")
    spec = ConfinedPath("cat.ttl", [twin], "twin.catalogue")
    assert (str(spec), spec.roots, spec.where) == ("cat.ttl", (twin.resolve(),), "twin.catalogue")
    safety.confine(spec, twin / "cat.ttl")
    safety.confine(spec, twin)  # the root itself
    assert _refusal(safety.confine, spec, outside / "secret.ttl") == (
        f"{outside / 'secret.ttl'} is outside the twin's folder ({twin.resolve()}); manifest paths may only name "
        "files there (--allow-path DIR widens this)")
    (twin / "link.ttl").symlink_to(outside / "secret.ttl")
    assert _refusal(safety.confine, spec, twin / "link.ttl") == (
        f"{twin / 'link.ttl'} resolves to {outside / 'secret.ttl'}, which is outside the twin's folder "
        f"({twin.resolve()}); manifest paths may only name files there (--allow-path DIR widens this)")
    # a relative path is shown as given, unless resolving it changes more than making it absolute
    monkeypatch.chdir(outside)
    assert _refusal(safety.confine, spec, Path("secret.ttl")) == (
        f"secret.ttl is outside the twin's folder ({twin.resolve()}); manifest paths may only name files there "
        "(--allow-path DIR widens this)")
    # several roots are all named; a symlink loop is shown as given
    both = ConfinedPath("x", [twin, tmp_path / "other"])
    (twin / "loop").symlink_to(twin / "loop")
    assert _refusal(safety.confine, both, twin / "loop") == (
        f"{twin / 'loop'} is outside the twin's folder ({twin.resolve()}, {(tmp_path / 'other').resolve()}); "
        "manifest paths may only name files there (--allow-path DIR widens this)")
    # a plain string (a path the user typed, not the manifest) is never confined
    safety.confine("secret.ttl", outside / "secret.ttl")
    assert safety.inside(outside / "secret.ttl", [twin.resolve(), outside.resolve()])
    assert not safety.inside(Path("bad\0name"), [twin])


def test_a_symlink_is_followed_only_to_the_working_folder_or_the_named_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work, named, outside = tmp_path / "work", tmp_path / "named", tmp_path / "out"
    for folder in (work, named, outside):
        folder.mkdir()
    monkeypatch.chdir(work)
    (outside / "shadow").write_text("root:x", "utf-8")
    (named / "real.ttl").write_text("", "utf-8")
    (named / "plain.ttl").write_text("", "utf-8")
    safety.no_escaping_link(named / "plain.ttl", named / "plain.ttl")  # no link at all
    (named / "ok.ttl").symlink_to(named / "real.ttl")
    safety.no_escaping_link(named / "ok.ttl", named)  # the named folder
    (named / "bad.ttl").symlink_to(outside / "shadow")
    assert _refusal(safety.no_escaping_link, named / "bad.ttl", named / "bad.ttl") == (
        f"is a symlink to {outside / 'shadow'}, outside the working folder and {named}; such links are never "
        "followed (give the real path)")
    (work / "here.ttl").write_text("", "utf-8")
    (named / "to-work.ttl").symlink_to(work / "here.ttl")
    safety.no_escaping_link(named / "to-work.ttl", named)  # the working folder
    (named / "dangling.ttl").symlink_to(named / "missing")
    assert _refusal(safety.no_escaping_link, named / "dangling.ttl", named) == (
        "cannot read: No such file or directory")
    (named / "loop.ttl").symlink_to(named / "loop.ttl")
    assert _refusal(safety.no_escaping_link, named / "loop.ttl", named) == (
        "cannot read: symlink loop or dangling link")
    # a linked folder on the way counts as a link
    (named / "sub").symlink_to(outside, target_is_directory=True)
    assert _refusal(safety.no_escaping_link, named / "sub" / "shadow", named) == (
        f"is a symlink to {outside / 'shadow'}, outside the working folder and {named}; such links are never "
        "followed (give the real path)")
