"""Baseline: the same leaflet with bare ReportLab (no validation, no outline, no checks).

Used by benchmarks/bench.py to compare like with like on this machine:
    python benchmarks/bare_reportlab.py content/baclofen/en.yaml /tmp/bare.pdf
It loads the YAML with PyYAML, turns every text into a Platypus paragraph
(bullets, a key-facts table, boxes as one-cell tables) in the same fonts, and
draws the disclaimer and page number in the footer of every page.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml
from reportlab import rl_config
from reportlab.lib.colors import black, lightgrey
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONTS = Path(__file__).resolve().parent.parent / "fonts"
# Compressed streams written as binary, not ASCII85, as leaflet writes them (leaflet.typeset.render sets
# the same): otherwise the baseline's work would depend on whether leaflet was imported in its process
# (bench.py's warm builds run both in one process; its whole-process runs run the baseline alone).
rl_config.useA85 = 0


def register() -> None:
    if "Bare" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Bare", str(FONTS / "NotoSans-Regular.ttf")))
        pdfmetrics.registerFont(TTFont("Bare-Bold", str(FONTS / "NotoSans-Bold.ttf")))


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md(text: str) -> str:
    parts = escape(text).split("**")
    return "".join(f'<font name="Bare-Bold">{p}</font>' if i % 2 else p for i, p in enumerate(parts))


def build(src: str, out) -> None:
    register()
    data = yaml.load(Path(src).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    body = ParagraphStyle("b", fontName="Bare", fontSize=10.5, leading=14.5, spaceAfter=5)
    bold = ParagraphStyle("h", parent=body, fontName="Bare-Bold", fontSize=15, leading=19, spaceBefore=12)
    bullet = ParagraphStyle("l", parent=body, leftIndent=14, bulletFontName="Bare")
    story = [Paragraph(md(data["medicine"]["name"]), ParagraphStyle("t", parent=bold, fontSize=24, leading=28))]

    def items(xs):
        for x in xs:
            text = x["text"] if isinstance(x, dict) else x
            story.append(Paragraph(md(text), bullet, bulletText="•"))
            if isinstance(x, dict):
                items(x["items"])

    def blocks(bs):
        for b in bs:
            if "text" in b:
                story.append(Paragraph(md(b["text"]), body))
            if "subheading" in b:
                story.append(Paragraph(md(b["subheading"]), bold))
            if "bullets" in b:
                items(b["bullets"])
            for key in ("side_effects", "precaution"):
                if key in b:
                    box = b[key]
                    cell = [Paragraph(md(box["title"]), bold)]
                    for k in ("intro", "action", "text"):
                        if k in box:
                            cell.append(Paragraph(md(box[k]), body))
                    for x in box.get("items", []):
                        cell.append(Paragraph(md(x if isinstance(x, str) else x["text"]), bullet, bulletText="•"))
                    t = Table([[cell]])
                    t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, black)]))
                    story.append(t)
            if "qa" in b:
                story.append(Paragraph(md(b["qa"]["question"]), bold))
                story.append(Paragraph(md(b["qa"]["answer"]), body))

    blocks(data.get("intro", []))
    rows = [[Paragraph(md(r["label"]), body), Paragraph(md(r["value"]), body)] for r in data["key_facts"]["rows"]]
    table = Table([["Feature", "Details"]] + rows, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, lightgrey), ("FONT", (0, 0), (-1, -1), "Bare")]))
    story.append(table)
    for section in data["sections"]:
        story.append(Paragraph(md(section["heading"]), bold))
        blocks(section["blocks"])
    disclaimer = data["disclaimer"]

    def footer(canv, doc):
        canv.saveState()
        canv.setFont("Bare", 8)
        canv.drawString(18 * mm, 12 * mm, disclaimer[:120])
        canv.drawRightString(A4[0] - 18 * mm, 8 * mm, f"Page {doc.page}")
        canv.restoreState()

    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, bottomMargin=25 * mm,
                            invariant=1, initialFontName="Bare")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2])
