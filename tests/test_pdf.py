"""Read the built PDFs back: text, furniture, metadata, fonts, outline, determinism."""
from __future__ import annotations

import json
import re
import subprocess

import pytest

import leaflet
from leaflet.check.verify import normalise, read_pdf, verify
from leaflet.text.inline import paragraphs, plain
from leaflet.text.printed import iter_texts

from .conftest import MINIMAL


def test_every_content_text_is_printed(sample_doc, sample_pdf):
    assert verify(sample_doc, sample_pdf) == []


def test_sample_texts_appear_in_pdf_text(sample_doc, sample_read):
    whole = sample_read.text
    for path, text in iter_texts(sample_doc.leaflet):
        if path == ("revision", "date"):  # 2026-11-23 prints as the locale writes it
            assert "Revised 23 November 2026" in whole
            continue
        for para in paragraphs(text):
            assert normalise(plain(para)) in whole, path


def test_disclaimer_page_numbers_and_revision_on_every_page(sample_doc, sample_read):
    pages = sample_read.pages
    assert len(pages) >= 2
    disclaimer = normalise(sample_doc.leaflet.disclaimer)
    for n, page in enumerate(pages, start=1):
        assert disclaimer in page
        assert f"Page {n} of {len(pages)}" in page
        assert "Revised 23 November 2026 · Version 1.0" in page
        if n > 1:  # running header with the medicine's name
            assert "Baclofen" in page


def test_metadata_and_language(sample_read, sample_pdf):
    meta = sample_read.metadata
    assert "Baclofen" in meta["/Title"]
    assert meta["/Author"]
    assert "Baclofen" in meta["/Subject"]
    assert "Lioresal" in meta["/Keywords"] and "Muscle relaxant" in meta["/Keywords"]
    assert sample_read.language == "en"
    from io import BytesIO

    from pypdf import PdfReader

    root = PdfReader(BytesIO(sample_pdf)).trailer["/Root"]
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])  # viewers show the title


def test_fonts_are_embedded_and_subset(sample_read):
    assert sample_read.fonts, "no fonts found"
    for name, embedded in sample_read.fonts:
        assert embedded, f"{name} is not embedded"
        assert re.match(r"/[A-Z]{6}\+", name), f"{name} is not a subset"
        assert "Helvetica" not in name and "Times" not in name


def test_outline_has_every_section(sample_doc, sample_read):
    outline = sample_read.outline
    for section in sample_doc.leaflet.sections:
        assert plain(section.heading) in outline
    assert "Key Facts About Baclofen" in outline


def test_outline_destinations_point_at_the_right_pages(sample_pdf):
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(sample_pdf))

    def flat(items):
        for item in items:
            if isinstance(item, list):
                yield from flat(item)
            else:
                yield item

    for item in flat(reader.outline):
        page_no = reader.get_destination_page_number(item)
        text = normalise(reader.pages[page_no].extract_text())
        assert normalise(str(item.title)) in text, (item.title, page_no)


def test_same_input_same_bytes(sample_doc, sample_pdf):
    assert leaflet.build_bytes(sample_doc) == sample_pdf


def test_letter_paper(sample_doc):
    pdf = leaflet.build_bytes(sample_doc, paper="letter")
    from io import BytesIO

    from pypdf import PdfReader

    box = PdfReader(BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert verify(sample_doc, pdf) == []


@pytest.mark.parametrize("text", ["R&D", "<5 mg", "a<b>c", "&amp; stays", "x > y & z", "<b>not bold</b>",
                                  "50% of 5 mg", "'quotes' and \"quotes\""])
def test_markup_characters_print_literally(tmp_path, text):
    src = MINIMAL.replace("text: A paragraph.", f"text: {yaml_quote(text)}")
    doc = leaflet.parse(src, "t.yaml")
    pdf = leaflet.build_bytes(doc)
    assert text in read_pdf(pdf).text
    assert verify(doc, pdf) == []


def yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_bold_markup_and_escaped_asterisk():
    src = MINIMAL.replace("text: A paragraph.", r"text: '**Dose:** 5 mg \* twice'")
    doc = leaflet.parse(src, "t.yaml")
    pdf = leaflet.build_bytes(doc)
    text = read_pdf(pdf).text
    assert "Dose: 5 mg * twice" in text
    assert "**" not in text


def test_machine_translation_is_marked_on_every_page():
    src = MINIMAL + "status: machine-translation\n"
    doc = leaflet.parse(src, "t.yaml")
    pdf = leaflet.build_bytes(doc)
    for page in read_pdf(pdf).pages:
        assert "UNREVIEWED MACHINE TRANSLATION" in page
    assert verify(doc, pdf) == []


def long_leaflet(paragraph_count: int = 40, rows: int = 60) -> str:
    """A leaflet long enough to split tables, paragraphs and a callout across pages (JSON is YAML)."""
    para = ("Spasticity is stiffness of the muscles. " * 12).strip()
    data = {
        "language": "en",
        "medicine": {"name": "Longamol", "class": "Long class"},
        "revision": {"date": "2026-01-02", "version": "1"},
        "key_facts": {"rows": [{"label": f"Row {n}", "value": f"Value {n}"} for n in range(rows)]},
        "sections": [{"heading": "Long section", "blocks": [
            *({"text": f"{n}. {para}"} for n in range(paragraph_count)),
            {"side_effects": {"severity": "serious", "title": "A very long serious callout",
                              "action": "Get medical help now if you have any of these",
                              "items": [f"Symptom number {n} that needs help" for n in range(70)]}},
        ]}],
        "disclaimer": "Ask your doctor.",
    }
    return json.dumps(data, indent=1)


def test_long_content_splits_cleanly_and_keeps_everything():
    doc = leaflet.parse(long_leaflet(), "long.yaml")
    pdf = leaflet.build_bytes(doc)
    read = read_pdf(pdf)
    assert len(read.pages) >= 5
    assert verify(doc, pdf) == []
    # the key-facts header row repeats on the page where the table continues
    assert sum("Feature Details" in p for p in read.pages) >= 2


def test_box_taller_than_a_page_is_split_not_lost():
    doc = leaflet.parse(long_leaflet(paragraph_count=1, rows=1), "box.yaml")
    pdf = leaflet.build_bytes(doc)
    read = read_pdf(pdf)
    pages_with_items = [n for n, p in enumerate(read.pages) if "Symptom number" in p]
    assert len(pages_with_items) >= 2
    assert verify(doc, pdf) == []


def test_pdftotext_reads_the_same(sample_doc, sample_pdf, tmp_path, has_poppler):
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(sample_pdf)
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    total = len([p for p in pages if p.strip()])
    for n in range(1, total + 1):
        assert f"Page {n} of {total}" in pages[n - 1]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in r for r in rows), fonts


ALL_KINDS = MINIMAL.replace("      - text: A paragraph.", """\
      - text: "First paragraph.\\n\\nSecond paragraph after a blank line."
        note: SECRET-NOTE-ONE
      - subheading: A subheading
      - bullets:
          - Plain bullet
          - text: Bullet with children
            items:
              - Child one
              - text: Child two
                items: [Grandchild]
      - numbered: [Step one, Step two, Step three]
      - side_effects:
          severity: common
          title: Common ones
          items: [Sleepiness]
      - side_effects:
          severity: serious
          title: Serious ones
          intro: Rarely.
          action: Call 911 now if you have
          items: [Fits]
      - precaution: {title: Kidneys, items: [Tell your doctor]}
      - qa: {question: Can I drive?, answer: Not until you know how it affects you.}
      - table:
          caption: Symptoms and what to do
          header: [Symptom, What to do]
          rows:
            - [Rash, Stop and call]
            - [Fever, Call]
      - note: SECRET-NOTE-TWO""") + "notes: [SECRET-NOTE-THREE]\nintro:\n  - text: Intro paragraph.\n"


def test_every_block_kind_prints_and_notes_do_not():
    doc = leaflet.parse(ALL_KINDS, "all.yaml")
    pdf = leaflet.build_bytes(doc)
    assert verify(doc, pdf) == []
    text = read_pdf(pdf).text
    assert "SECRET-NOTE" not in text
    for expected in ("1. Step one", "2. Step two", "3. Step three", "SERIOUS · Serious ones", "COMMON · Common ones",
                     "Symptom What to do", "Grandchild", "Intro paragraph."):
        assert expected in text
    assert text.index("First paragraph.") < text.index("Second paragraph") < text.index("Plain bullet")


def test_a_word_longer_than_a_line_is_split_not_cut_off():
    word = "https://example.org/" + "averyverylongpathsegment" * 8
    doc = leaflet.parse(MINIMAL.replace("text: A paragraph.", f"text: {word} end"), "t.yaml")
    pdf = leaflet.build_bytes(doc)
    assert verify(doc, pdf) == []
    assert word in read_pdf(pdf).text.replace(" ", "")


def test_a_disclaimer_too_long_for_the_footer_is_a_content_error():
    src = MINIMAL.replace("disclaimer: Ask your doctor.", "disclaimer: " + "Ask your doctor. " * 400)
    doc = leaflet.parse(src, "t.yaml")
    with pytest.raises(leaflet.ContentError) as info:
        leaflet.build_bytes(doc)
    [d] = info.value.diagnostics
    assert d.path == ("disclaimer",) and d.line == 17 and "few lines" in d.hint


def test_decomposed_accents_print_composed():
    doc = leaflet.parse(MINIMAL.replace("text: A paragraph.", "text: Cafe\u0301 con leche"), "t.yaml")
    pdf = leaflet.build_bytes(doc)
    assert "Café con leche" in read_pdf(pdf).text
    assert verify(doc, pdf) == []


def test_a_long_medicine_name_wraps_in_the_running_header():
    name = "Very long combination product name " * 6
    src = long_leaflet(paragraph_count=12, rows=2).replace('"Longamol"', json.dumps(name.strip()))
    doc = leaflet.parse(src, "t.yaml")
    pdf = leaflet.build_bytes(doc)
    assert verify(doc, pdf) == []


def test_large_print_theme(sample_doc, sample_read):
    from io import BytesIO

    from pypdf import PdfReader

    pdf = leaflet.build_bytes(sample_doc, theme="large-print")
    assert verify(sample_doc, pdf) == []
    assert len(read_pdf(pdf).pages) > len(sample_read.pages)
    sizes = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        sizes |= {float(s) for s in re.findall(rb" ([\d.]+) Tf", page.get_contents().get_data())}
    # large print: 16 pt body text and larger headings; only the page furniture is smaller (13 pt)
    assert min(sizes - {13.0}) == 16.0 and max(sizes) >= 22, sizes


def test_body_text_is_at_least_10_pt(sample_pdf):
    from io import BytesIO

    from pypdf import PdfReader

    sizes = set()
    for page in PdfReader(BytesIO(sample_pdf)).pages:
        sizes |= {float(s) for s in re.findall(rb" ([\d.]+) Tf", page.get_contents().get_data())}
    body = [s for s in sizes if s < 10]
    # only the page furniture (header, footer: 9 pt, the EU minimum) is smaller than 10 pt
    assert body == [9.0], sizes


def test_document_type_and_month_only_revision():
    src = MINIMAL.replace('date: "2026-01-02"', 'date: "2022-12"') + "document_type: Medication Guide\n"
    doc = leaflet.parse(src, "t.yaml")
    pdf = leaflet.build_bytes(doc)
    read = read_pdf(pdf)
    assert read.pages[0].startswith("Medication Guide Testamol")
    assert "Patient information leaflet" not in read.text
    assert "Revised December 2022" in read.text  # a month: its name and the year (CLDR, en-GB)
    assert read.metadata["/Title"] == "Testamol – Medication Guide"
    assert verify(doc, pdf) == []


def test_a_callout_split_over_pages_says_continued():
    doc = leaflet.parse(long_leaflet(paragraph_count=1, rows=1), "box.yaml")
    pdf = leaflet.build_bytes(doc)
    read = read_pdf(pdf)
    assert "SERIOUS · A very long serious callout (continued)" in read.pages[1]
    assert verify(doc, pdf) == []


def test_verify_reads_through_a_callout_paragraph_split_by_a_page_break():
    data = json.loads(long_leaflet(paragraph_count=1, rows=1))
    items = [f"Item {n}: " + " ".join(f"w{n}x{k}" for k in range(70)) for n in range(30)]
    data["sections"][0]["blocks"][-1]["side_effects"]["items"] = items
    doc = leaflet.parse(json.dumps(data), "split.yaml")
    pdf = leaflet.build_bytes(doc)
    read = read_pdf(pdf)
    # at least one item is cut by a page break, with the "(continued)" band between its halves
    assert any(item not in read.text for item in items)
    assert verify(doc, pdf) == []


def test_same_bytes_across_processes_and_hash_seeds(sample_pdf, tmp_path):
    import os
    import sys

    from .conftest import ROOT, SAMPLE

    for seed in ("1", "2"):
        out = tmp_path / f"s{seed}.pdf"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "leaflet", "build", str(SAMPLE), "-o", str(out)],
                       check=True, capture_output=True, cwd=ROOT, env=env)
        assert out.read_bytes() == sample_pdf


def test_callout_label_closing_and_lines():
    src = MINIMAL.replace("      - text: A paragraph.", """\
      - side_effects:
          severity: common
          label: Rare
          title: may affect up to 1 in 1,000 people
          items: [Rash]
          closing: Tell your doctor if you notice any of these.
      - lines: [Example Pharma Ltd, 1 High Street, "AB1 2CD Town"]""")
    doc = leaflet.parse(src, "t.yaml")
    pdf = leaflet.build_bytes(doc)
    text = read_pdf(pdf).text
    assert "Rare · may affect up to 1 in 1,000 people" in text and "COMMON" not in text
    assert text.index("Rash") < text.index("Tell your doctor if you notice")
    assert "Example Pharma Ltd 1 High Street AB1 2CD Town" in text
    assert verify(doc, pdf) == []


def test_verify_reads_through_a_split_callout_in_the_intro():
    data = json.loads(long_leaflet(paragraph_count=0, rows=1))
    data["intro"] = [data["sections"][0]["blocks"].pop()]
    data["sections"][0]["blocks"] = [{"text": "Body."}]
    data["intro"][0]["side_effects"]["items"] = [
        f"Item {n}: " + " ".join(f"w{n}x{k}" for k in range(70)) for n in range(30)]
    doc = leaflet.parse(json.dumps(data), "intro.yaml")
    pdf = leaflet.build_bytes(doc)
    assert "(continued)" in read_pdf(pdf).text
    assert verify(doc, pdf) == []
