"""The wheel's build hook: listparse's parsing modules compiled to C extensions with mypyc.

The modules named under `compiled` in pyproject.toml are type-checked and compiled by mypyc, as black
and mypy ship theirs; their Python source goes into the wheel too, and Python imports the compiled
module first. Parsing then runs about 1.3× faster per core (see the README's Performance section).

- An editable install (`pip install -e .`) is never compiled: an edit to a module takes effect at once.
- `LISTPARSE_PURE_PYTHON=1` builds a pure-Python wheel.
- When compiling fails (no C compiler, say), the wheel is pure Python and a warning says why; with
  `LISTPARSE_REQUIRE_COMPILED=1` (CI sets it) the build fails instead, so that a broken compile is seen.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable" or os.environ.get("LISTPARSE_PURE_PYTHON") == "1":
            return
        sources = list(self.config.get("compiled", []))
        self._directory = Path(tempfile.mkdtemp(prefix="listparse-mypyc-"))
        try:
            built = compile_modules(Path(self.root), sources, self._directory)
        except Exception as error:  # any failure of mypy, mypyc or the C compiler
            if os.environ.get("LISTPARSE_REQUIRE_COMPILED") == "1":
                raise
            traceback.print_exc()
            print(f"listparse: compiling with mypyc failed ({type(error).__name__}: {error}); "
                  "building a pure-Python wheel, which parses about 1.3x slower", file=sys.stderr)
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True  # cp311-cp311-<platform>: the extensions are for this interpreter
        for path, name in built.items():
            build_data["force_include"][str(path)] = name

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if getattr(self, "_directory", None):
            shutil.rmtree(self._directory, ignore_errors=True)


def compile_modules(root: Path, sources: list[str], directory: Path) -> dict[Path, str]:
    """Compile `sources` (paths under `root`) into `directory`: each extension built, by its path in the wheel."""
    if not sources:
        raise ValueError("no modules are named under `compiled` in pyproject.toml")
    from mypyc.build import mypycify
    from setuptools import Distribution

    here = os.getcwd()
    os.chdir(root)  # mypy finds the modules, and its settings in pyproject.toml, from the project's root
    try:
        extensions = mypycify(sources, opt_level="3", multi_file=True, group_name="listparse",
                              target_dir=str(directory / "c"))
        distribution = Distribution({"name": "listparse", "ext_modules": extensions})
        command = distribution.get_command_obj("build_ext")
        command.build_lib = str(directory / "lib")
        command.build_temp = str(directory / "temp")
        command.parallel = os.cpu_count() or 1
        command.ensure_finalized()
        command.run()
    finally:
        os.chdir(here)
    library = directory / "lib"
    built = {path: path.relative_to(library).as_posix() for path in library.rglob("*")
             if path.suffix in (".so", ".pyd")}
    if len([name for name in built.values() if name.startswith("listparse/")]) != len(sources):
        raise RuntimeError(f"mypyc built {sorted(built.values())} for {len(sources)} modules")
    return built
