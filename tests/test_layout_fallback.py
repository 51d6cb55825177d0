"""A layout problem ReportLab reports outside a flowable we can name (its LayoutError from the
document build itself) is a clear error naming the input, with a hint: never ReportLab's message,
which names its objects by their repr ("Flowable <KeepWithNext at 0x7f...> too large")."""
from __future__ import annotations

import pytest
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError

import leaflet
from leaflet import cli
from leaflet.errors import RenderError

from .conftest import SAMPLE

REPR = "Flowable <KeepWithNext at 0x7f00deadbeef> too large"


@pytest.fixture
def reportlab_refuses(monkeypatch):
    def build(self, *args, **kwargs):
        raise LayoutError(REPR)

    monkeypatch.setattr(BaseDocTemplate, "build", build)


def test_the_error_does_not_quote_reportlab(reportlab_refuses):
    with pytest.raises(RenderError) as caught:
        leaflet.build_bytes(leaflet.load(SAMPLE))
    assert str(caught.value) == "the content does not fit on the page"
    assert caught.value.hint


def test_the_command_names_the_input_and_gives_the_hint(reportlab_refuses, tmp_path, capsys):
    status = cli.main(["build", str(SAMPLE), "-o", str(tmp_path / "out.pdf")])
    err = capsys.readouterr().err
    assert status != 0
    assert f"{SAMPLE}: error: the content does not fit on the page" in err or "en.yaml: error: the content" in err
    assert "hint: split the longest block" in err
    assert "0x7f" not in err and "KeepWithNext" not in err and "Traceback" not in err
    assert not (tmp_path / "out.pdf").exists()
