"""The compiled build (`hatch_build.py`): its parse is the Python source's, byte for byte, and its build
hook falls back to pure Python, saying why, when compiling fails."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from listparse import compiled

from .conftest import DOCUMENT_SUFFIXES, FIXTURES, RAW, ROOT

# Each input's worker record (`Parsed`: head and entries JSON, entries.csv cells, fields.csv rows), one line
# each, and which build made them.
RECORDS = """
import sys
from pathlib import Path
from listparse import compiled
from listparse.pipeline import Source, parse_source
from listparse.store import Parsed
print(compiled())
for name in sys.argv[1:]:
    record = Parsed.of(parse_source(Source(Path(name), Path(name).name)))
    print(repr((record.source, record.status, record.warnings, record.head, record.entries,
                sorted(record.columns), record.fields)))
"""


def _records(inputs: list[Path], **env: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", RECORDS, *map(str, inputs)], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300, check=True)
    return done.stdout.splitlines()


@pytest.mark.skipif(not compiled(), reason="listparse runs from its Python source here (an editable or pure-Python "
                                         "install): there is no compiled build to compare with it")
def test_the_compiled_parse_is_the_source_parse():
    # Every fixture document, in every folder (the bad inputs too), and the seeds.
    inputs = sorted(path for folder in (FIXTURES, RAW) for path in folder.rglob("*")
                    if path.suffix in DOCUMENT_SUFFIXES and path.is_file())
    assert len(inputs) > 50
    built = _records(inputs)
    source = _records(inputs, PYTHONPATH=str(ROOT / "src"))  # src/ holds only the modules' Python source
    assert (built[0], source[0]) == ("True", "False")  # which build made each
    assert len(built) == len(inputs) + 1
    assert built[1:] == source[1:]


def _hook_module():
    pytest.importorskip("hatchling")
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hook(module, target: str = "wheel"):
    return module.CustomBuildHook(str(ROOT), {"compiled": ["src/listparse/read.py"]}, None, None, str(ROOT), target)


def _fresh_build_data() -> dict:
    return {"force_include": {}, "artifacts": [], "pure_python": True, "infer_tag": False}


def test_a_failed_compile_builds_pure_python_and_says_why(monkeypatch, capsys):
    module = _hook_module()
    monkeypatch.delenv("LISTPARSE_REQUIRE_COMPILED", raising=False)
    monkeypatch.delenv("LISTPARSE_PURE_PYTHON", raising=False)

    def no_compiler(root, sources, directory):
        raise OSError("command 'gcc' failed: No such file or directory")

    monkeypatch.setattr(module, "compile_modules", no_compiler)
    hook, build_data = _hook(module), _fresh_build_data()
    hook.initialize("standard", build_data)
    hook.finalize("standard", build_data, "")
    assert build_data == _fresh_build_data()
    assert ("listparse: compiling with mypyc failed (OSError: command 'gcc' failed: No such file or directory); "
            "building a pure-Python wheel") in capsys.readouterr().err
    monkeypatch.setenv("LISTPARSE_REQUIRE_COMPILED", "1")
    with pytest.raises(OSError, match="gcc"):
        _hook(module).initialize("standard", _fresh_build_data())


def test_the_hook_compiles_only_a_standard_wheel(monkeypatch, tmp_path):
    module = _hook_module()
    monkeypatch.delenv("LISTPARSE_PURE_PYTHON", raising=False)
    built = tmp_path / "read.cpython-311-x86_64-linux-gnu.so"
    built.write_bytes(b"\x7fELF")
    calls = []

    def compile_modules(root, sources, directory):
        calls.append(sources)
        return {built: "listparse/read.cpython-311-x86_64-linux-gnu.so"}

    monkeypatch.setattr(module, "compile_modules", compile_modules)
    for target, version in (("wheel", "editable"), ("sdist", "standard")):
        build_data = _fresh_build_data()
        _hook(module, target).initialize(version, build_data)
        assert build_data == _fresh_build_data() and calls == []
    monkeypatch.setenv("LISTPARSE_PURE_PYTHON", "1")
    _hook(module).initialize("standard", _fresh_build_data())
    assert calls == []
    monkeypatch.delenv("LISTPARSE_PURE_PYTHON")
    build_data = _fresh_build_data()
    _hook(module).initialize("standard", build_data)
    assert calls == [["src/listparse/read.py"]]
    assert build_data["pure_python"] is False and build_data["infer_tag"] is True
    assert build_data["force_include"] == {str(built): "listparse/read.cpython-311-x86_64-linux-gnu.so"}


def test_compile_modules_refuses_an_empty_list(tmp_path):
    with pytest.raises(ValueError, match="no modules"):
        _hook_module().compile_modules(ROOT, [], tmp_path)


def _value_for(annotation, number: int):
    """A value of a field's annotated type, told apart from the other fields' by `number` (None for an
    optional one). The source's annotations are strings; compiled, they are types, `type` for a union."""
    if not isinstance(annotation, str):
        annotation = annotation.__name__
    if annotation == "type" or annotation.endswith("| None"):
        return None
    kind = annotation.split("[")[0]
    return {"int": number, "str": str(number), "bool": bool(number % 2), "tuple": (number, number),
            "list": [number], "dict": {number: None}}[kind]


def test_the_written_out_inits_take_the_dataclass_fields():
    """The seven dataclasses whose `__init__` is written out for the compiled build (see `read.Line`) take
    their fields by name and in order, with the fields' defaults: the two statements cannot drift apart.
    Told by making them, which a compiled `__init__` (its signature hidden) answers as the source's does."""
    from listparse.cells import Cell, Plain
    from listparse.entries import Head
    from listparse.ranks import Candidate
    from listparse.read import Line
    from listparse.template import EntrySplit
    from listparse.titles import TitleParts

    for cls in (Line, Candidate, Cell, Plain, TitleParts, EntrySplit, Head):
        fields = dataclasses.fields(cls)
        values = [_value_for(f.type, number) for number, f in enumerate(fields, 1)]
        by_name = cls(**{f.name: value for f, value in zip(fields, values, strict=True)})
        assert cls(*values) == by_name, cls
        assert [getattr(by_name, f.name) for f in fields] == values, cls
        required = [value for f, value in zip(fields, values, strict=True)
                    if f.default is f.default_factory is dataclasses.MISSING]
        made = cls(*required)
        for f in fields[len(required):]:
            default = f.default_factory() if f.default is dataclasses.MISSING else f.default
            assert getattr(made, f.name) == default, (cls, f.name)
