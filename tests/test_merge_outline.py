"""leaflet batch --merge: the merged PDF's outline, one bookmark per leaflet at its first page,
labelled with the output's number, the sheet's row and the language: never patient data. Read by
pypdf and by poppler (pdftohtml -xml lists the outline)."""
from __future__ import annotations

import io
import shutil
import subprocess

import pikepdf
from pypdf import PdfReader

import leaflet
from leaflet import api
from leaflet.batch import outline_label

from .test_batch import CONTENT, SENTINEL, batch, row, sheet


def test_the_merged_pdf_has_one_bookmark_per_leaflet_without_patient_data(tmp_path, capsys):
    src = sheet(tmp_path / "rx.csv", [row("RX-1"), row("RX-2", "ar"), row("RX-3", dispensed="x"), row("RX-4", "he")])
    status, stdout, _ = batch(capsys, str(src), "-o", f"{tmp_path}/out/", "--merge", "-j", "2")
    assert status == 2 and "3 leaflets" in stdout
    merged = (tmp_path / "out" / "leaflets.pdf").read_bytes()
    labels = ["1 \u2014 row 2 \u2014 en", "2 \u2014 row 3 \u2014 ar", "3 \u2014 row 5 \u2014 he"]
    assert [outline_label(1, 2, "en")] == labels[:1]
    reader = PdfReader(io.BytesIO(merged))
    outline = reader.outline
    assert [item.title for item in outline] == labels
    # each points at its leaflet's first page: the pages of each template, one after the other
    sizes = [len(pikepdf.open(io.BytesIO(api.template(leaflet.load(CONTENT / f"{lang}.yaml")).pdf.pdf)).pages)
             for lang in ("en", "ar", "he")]
    assert [reader.get_destination_page_number(item) for item in outline] == [0, sizes[0], sizes[0] + sizes[1]]
    assert len(reader.pages) == sum(sizes)
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    with pikepdf.open(io.BytesIO(merged)) as pdf:
        assert pdf.check_pdf_syntax() == []
        titles = [str(item.title) for item in pdf.open_outline().root]
    assert titles == labels
    # the patient's name is printed in the panels, never in the outline (nor the metadata)
    assert all(SENTINEL.split()[0] not in t and "RX-" not in t for t in titles)
    if shutil.which("pdftohtml"):  # an independent reader: poppler
        xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", "-q", "-", "-"], input=merged,
                             capture_output=True).stdout.decode()
        items = xml.split("<outline>", 1)[1].split("</outline>", 1)[0]
        firsts = [1, sizes[0] + 1, sizes[0] + sizes[1] + 1]  # poppler counts pages from 1
        assert [line for line in items.split("\n") if line.startswith("<item")] == [
            f'<item page="{page}">{label}</item>' for page, label in zip(firsts, labels)]
        assert SENTINEL.split()[0] in xml.split("<outline>", 1)[0]  # printed on the pages
        assert SENTINEL.split()[0] not in items
    # deterministic: the same sheet gives the same bytes
    status, _, _ = batch(capsys, str(src), "-o", f"{tmp_path}/again/", "--merge", "-j", "1")
    assert (tmp_path / "again" / "leaflets.pdf").read_bytes() == merged
