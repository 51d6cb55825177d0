"""Start-up: a plain ``leaflet build`` imports only what it uses (issue 5: the whole process within
1.2x a bare ReportLab build; see README "Benchmark").

The personalised, batch, service and brand code, and the heavy libraries they bring (pikepdf, svglib,
tqdm, starlette, ReportLab's barcodes, python-bidi), load only when a build asks for them. The check
runs the real command in a fresh interpreter with ``-X importtime``, which names every module the
process imports and what imported it."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE

# Never imported by `leaflet build CONTENT.yaml`, by leaflet or by anything it imports.
NOT_IN_A_PLAIN_BUILD = (
    "leaflet.personal", "leaflet.service", "leaflet.batch", "leaflet.content.brand", "leaflet.typeset.brand",
    "leaflet.typeset.stamp", "leaflet.check", "leaflet.i18n.xliff", "leaflet.i18n.pseudo",
    "pikepdf", "svglib", "tqdm", "starlette", "uvicorn", "jsonschema", "pypdf",
    "reportlab.graphics.barcode", "bidi", "difflib",
    "json",  # data files are read by msgspec's decoder (leaflet.resources.loads_json)
)
# Imported by ReportLab itself (reportlab.lib.utils imports PIL whatever the build): allowed only
# as ReportLab's import, never as leaflet's.
ONLY_UNDER_REPORTLAB = ("PIL",)

_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|( *)(\S+)$")


def imports(*args: str, tmp: Path) -> list[tuple[int, str]]:
    """(depth, module) for every module the command ``leaflet ARGS`` imports, in -X importtime's
    order (a module's imports come before it, one level deeper)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "leaflet", *args], cwd=tmp,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = []
    for line in proc.stderr.splitlines():
        m = _LINE.match(line)
        if m:
            found.append((len(m.group(1)) // 2, m.group(2)))
    assert any(name == "leaflet.typeset.render" for _, name in found), "no import times read"
    return found


def importers(found: list[tuple[int, str]], index: int) -> list[str]:
    """The chain of modules whose import led to ``found[index]``, outermost last."""
    depth = found[index][0]
    chain = []
    for d, name in found[index + 1:]:
        if d < depth:
            chain.append(name)
            depth = d
    return chain


def loaded(found: list[tuple[int, str]], prefix: str) -> list[str]:
    return [name for _, name in found if name == prefix or name.startswith(prefix + ".")]


@pytest.fixture(scope="module")
def plain_build(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[int, str]]:
    tmp = tmp_path_factory.mktemp("startup")
    return imports("build", str(SAMPLE), "-o", str(tmp / "en.pdf"), tmp=tmp)


@pytest.mark.parametrize("module", NOT_IN_A_PLAIN_BUILD)
def test_plain_build_does_not_import(plain_build: list[tuple[int, str]], module: str) -> None:
    assert not loaded(plain_build, module), f"a plain build imports {module}"


@pytest.mark.parametrize("module", ONLY_UNDER_REPORTLAB)
def test_plain_build_imports_only_through_reportlab(plain_build: list[tuple[int, str]], module: str) -> None:
    for i, (_, name) in enumerate(plain_build):
        if name == module or name.startswith(module + "."):
            chain = [m for m in importers(plain_build, i) if m.split(".")[0] != module]
            assert chain and chain[0].split(".")[0] == "reportlab", (
                f"{name} is imported by {chain[0] if chain else 'the command itself'}, not by ReportLab")


def test_the_check_sees_what_a_brand_build_imports(tmp_path: Path) -> None:
    """The same reading of a build with --brand finds the brand's model: the check above can see
    an import when there is one."""
    found = imports("build", str(SAMPLE), "-o", str(tmp_path / "en.pdf"),
                    "--brand", str(ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml"), tmp=tmp_path)
    assert loaded(found, "leaflet.content.brand")


_FROZEN = """
import gc, sys
sys.argv = ["leaflet", *sys.argv[1:]]
from leaflet.cli import main
status = main()
render = sys.modules["leaflet.typeset.render"]  # imported by the build, before the freeze
tracked = {id(o) for o in gc.get_objects()}
print(status, gc.isenabled(), gc.get_freeze_count() > 0, id(vars(render)) in tracked, gc.is_tracked(vars(render)))
"""


def test_the_command_freezes_what_it_imported(tmp_path: Path) -> None:
    """Run as the program (``main()`` reading sys.argv), a build moves what it imported (here:
    the typesetter's module dict) to the collector's permanent generation (leaflet.api.settle),
    so that its collections do not scan it again; the collector itself stays on."""
    proc = subprocess.run([sys.executable, "-c", _FROZEN, "build", str(SAMPLE), "-o", str(tmp_path / "en.pdf")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split()[-5:] == ["0", "True", "True", "False", "True"], proc.stdout


def test_main_called_in_a_process_that_goes_on_freezes_nothing(tmp_path: Path) -> None:
    """``main(argv)`` called by a program that goes on (a test, a script) leaves its collector as it
    was: nothing frozen, still collecting (frozen objects would never be collected)."""
    import gc

    from leaflet.cli import main

    before = gc.get_freeze_count()
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "en.pdf")]) == 0
    assert gc.get_freeze_count() == before
    assert gc.isenabled()


@pytest.mark.parametrize("enabled", [True, False])
def test_importing_leaflet_leaves_the_collector_as_it_was(enabled: bool) -> None:
    """leaflet pauses the collector while it is imported and then leaves it as the importer had it."""
    code = f"import gc; gc.{'enable' if enabled else 'disable'}(); import leaflet; print(gc.isenabled())"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == str(enabled)
