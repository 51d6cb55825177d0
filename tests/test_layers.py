"""The package is laid out by stage, and this test keeps it so.

Data flows one way: content (load, model, rules, schema) -> text (what prints)
-> typeset (the only ReportLab users) -> check (the only pypdf user); api and
cli sit on top. An import against that flow, or a third-party library used
outside its stage, fails here with the file and line.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "leaflet"

# stage -> the leaflet stages it may import (besides itself)
MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "resources": {"errors", "i18n.formats"},
    "i18n": {"errors"},
    "content": {"errors", "text"},
    "text": {"errors", "content.model", "content.brand", "i18n.formats"},
    "typeset": {"errors", "resources", "content.model", "content.brand", "text", "personal.model"},
    "check": {"errors", "resources", "content", "text", "i18n"},
    # personalisation: prescriptions (model, files, sheets, FHIR) -> validated Prescription values
    "personal": {"errors", "resources", "content", "i18n", "text"},
    "api": {"errors", "resources", "content", "text", "typeset", "check", "i18n", "personal"},
    "cli": {"errors", "resources", "api", "content", "check", "personal", "batch", "service", "__init__"},
    # batches (leaflet batch): jobs over the api, beside the command line
    "batch": {"errors", "resources", "api", "content", "personal"},
    # the HTTP service (leaflet serve) sits on top beside cli
    "service": {"api", "errors", "resources", "personal", "content"},
    "__init__": {"api", "errors"},
    "__main__": {"cli"},
}
# modules whose rules are their own, not their stage's: i18n sits under resources, but its xliff
# module turns whole leaflets into XLIFF and back (content and text), and nothing below it imports it
MODULE_RULES: dict[str, set[str]] = {
    "i18n.xliff": {"errors", "content", "text"},
    # pseudo-localisation transforms a validated document's printed texts (text.printed says which)
    "i18n.pseudo": {"errors", "content.model", "content.document", "text"},
}
# third-party library -> the only modules that may import it
ONLY_IN: dict[str, set[str]] = {
    "yaml": {"content.loader"},
    "jsonschema": {"content.validation"},
    "reportlab": {"typeset"},
    "pypdf": {"check"},
    "pikepdf": {"typeset.stamp"},  # reads a template once (lay out once, stamp many)
    "babel": {"i18n"},
    "bidi": {"text.bidi"},
    "uharfbuzz": {"typeset.shaping"},
    "openpyxl": {"personal.sheet"},
    "fhir": {"personal.fhir"},  # fhir.resources (optional: strict FHIR validation)  # Excel workbooks: only the sheet reader
    "starlette": {"service"},
    "uvicorn": {"service"},
    "svglib": {"typeset.brand"},  # SVG logos (build --brand)
    "PIL": {"typeset.brand"},  # reading a PNG or JPEG logo's size and pixels
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    return ".".join(rel.parts)


def stage_of(module: str) -> str:
    return module.split(".")[0]


def allowed(module: str, target: str, rules: dict[str, set[str]]) -> bool:
    """Is ``target`` (a leaflet module, dotted, relative to the package) allowed from ``module``?"""
    stage = stage_of(module)
    if stage_of(target) == stage and stage in ("content", "text", "typeset", "check", "i18n", "personal", "service"):
        return True
    for permitted in MODULE_RULES.get(module, rules[stage]) if rules is MAY_IMPORT else rules[stage]:
        if target == permitted or target.startswith(permitted + "."):
            return True
    return False


def _submodule_or_package(base: list[str], name: str) -> str:
    """``from . import x``: the module x if there is one, else the package (x is a name in it)."""
    where = PACKAGE.joinpath(*base, name)
    if where.with_suffix(".py").is_file() or (where / "__init__.py").is_file():
        return ".".join([*base, name])
    return ".".join(base) or "__init__"


def imports_of(path: Path) -> list[tuple[int, str, bool]]:
    """(line, module, is_leaflet) for every import in a file, relative ones resolved."""
    module = module_name(path)
    package = module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.name
                if name == "leaflet" or name.startswith("leaflet."):
                    found.append((node.lineno, name.removeprefix("leaflet").lstrip(".") or "__init__", True))
                else:
                    found.append((node.lineno, name, False))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = ".".join([*base, node.module] if node.module else base)
                names = [target] if node.module else [_submodule_or_package(base, a.name) for a in node.names]
                for name in names:
                    found.append((node.lineno, name or "__init__", True))
            elif node.module and (node.module == "leaflet" or node.module.startswith("leaflet.")):
                found.append((node.lineno, node.module.removeprefix("leaflet").lstrip(".") or "__init__", True))
            elif node.module:
                found.append((node.lineno, node.module, False))
    return found


def violations(rules: dict[str, set[str]] = MAY_IMPORT, only_in: dict[str, set[str]] = ONLY_IN,
               extra: dict[Path, str] | None = None) -> list[str]:
    out = []
    files = {p: p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}
    for path in sorted(files):
        module = module_name(path)
        entries = imports_of(path)
        if extra and path in extra:
            tree = ast.parse(extra[path])
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    entries += [(0, a.name, False) for a in node.names]
        for line, target, internal in entries:
            where = f"leaflet/{path.relative_to(PACKAGE)}:{line}"
            if internal:
                if target in ("", "__init__") and stage_of(module) not in ("cli", "__main__", "__init__"):
                    out.append(f"{where}: {module} imports the package root")
                elif target not in ("", "__init__") and not allowed(module, target, rules):
                    out.append(f"{where}: {module} may not import leaflet.{target}")
            else:
                top = target.split(".")[0]
                if top in only_in and not any(module == m or module.startswith(m + ".") for m in only_in[top]):
                    out.append(f"{where}: {module} imports {top}, which only {', '.join(sorted(only_in[top]))} "
                               "may use")
    return out


def test_every_module_is_in_a_stage():
    stages = {stage_of(module_name(p)) for p in PACKAGE.rglob("*.py")}
    assert stages <= set(MAY_IMPORT), f"modules outside any stage: {stages - set(MAY_IMPORT)}"


def test_imports_follow_the_stages():
    assert violations() == []


@pytest.mark.parametrize("module, statement", [
    ("content/loader.py", "import reportlab"),
    ("content/model.py", "import pypdf"),
    ("text/inline.py", "import yaml"),
    ("check/verify.py", "import reportlab.platypus"),
])
def test_a_forbidden_import_is_caught(module, statement):
    path = PACKAGE / module
    assert any(statement.split()[-1].split(".")[0] in v for v in violations(extra={path: statement}))


def test_only_xliff_may_reach_from_i18n_into_content():
    assert allowed("i18n.xliff", "content.loader", MAY_IMPORT)
    assert not allowed("i18n.numbers", "content.loader", MAY_IMPORT)
    assert not allowed("i18n.xliff", "typeset.layout", MAY_IMPORT)


def test_only_the_service_uses_starlette_and_uvicorn():
    assert any("starlette" in v for v in violations(extra={PACKAGE / "api.py": "import starlette"}))
    assert any("uvicorn" in v for v in violations(extra={PACKAGE / "cli.py": "import uvicorn"}))
    assert allowed("service.app", "api", MAY_IMPORT) and allowed("service.jobs", "personal.model", MAY_IMPORT)
    assert not allowed("service.app", "typeset.render", MAY_IMPORT)
    assert not allowed("api", "service.app", MAY_IMPORT)


def test_personal_sits_below_typeset_and_above_content():
    assert allowed("personal.rxfile", "content.loader", MAY_IMPORT)
    assert allowed("typeset.panel", "personal.model", MAY_IMPORT)
    assert not allowed("typeset.panel", "personal.rxfile", MAY_IMPORT)
    assert not allowed("personal.model", "typeset.fonts", MAY_IMPORT)
    assert not allowed("personal.model", "api", MAY_IMPORT)


def test_a_backward_internal_import_is_caught(tmp_path):
    # text may not reach into typeset: written as a rule check on a fake module name
    assert not allowed("text.inline", "typeset.layout", MAY_IMPORT)
    assert not allowed("content.loader", "check.verify", MAY_IMPORT)
    assert allowed("typeset.layout", "text.inline", MAY_IMPORT)
