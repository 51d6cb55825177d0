"""The README's examples work as written."""
from __future__ import annotations

import re

import leaflet
from leaflet.check.verify import verify

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_format_example_builds_and_prints():
    example = re.search(r"```yaml\n(.*?)```", README, re.S).group(1)
    doc = leaflet.parse(example, "README.md")
    pdf = leaflet.build_bytes(doc)
    assert verify(doc, pdf) == []


def test_quick_start_has_exactly_two_commands():
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "leaflet build content/baclofen/en.yaml" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci  # CI runs the README's test command


def test_readme_lists_every_diagnostic_code():
    from leaflet.errors import CODES

    table = README.split("Every diagnostic carries a code", 1)[1].split("\n\n", 2)[1]
    listed = re.findall(r"^\| `([a-z-]+)` \|", table, re.M)
    assert listed == list(CODES)


def test_readme_documents_every_command_line_option():
    from leaflet.cli import _parser

    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():
        for action in command._actions:
            if action.option_strings and "--help" not in action.option_strings:
                assert any(f"{o} " in README for o in action.option_strings), \
                    f"leaflet {name} {'/'.join(action.option_strings)} is not in the README"


def test_page_break_error_example_is_what_build_says():
    from .conftest import MINIMAL

    section = README.split("### Page breaks", 1)[1]
    shown = re.search(r"```\n\$ leaflet build too-big.yaml\n(.*?)```", section, re.S).group(1).splitlines()
    columns = ", ".join(f"H{i}" for i in range(12))
    src = MINIMAL.replace("      - text: A paragraph.\n",
                          f"      - table:\n          header: [{columns}]\n          rows:\n            - [{columns}]\n")
    try:
        leaflet.build_bytes(leaflet.parse(src, "too-big.yaml"))
    except leaflet.ContentError as exc:
        assert str(exc.diagnostics[0]).splitlines() == shown
    else:
        raise AssertionError("a 12-column table built")
