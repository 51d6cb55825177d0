"""A clinic's brand file (``build --brand``): validated like content (line and column, unknown keys,
the published schema), its logo drawn (pixels), its texts in the title block and the footer of every
page (poppler), mirrored right to left, its colours checked (contrast, callouts apart in grayscale)."""
from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

import leaflet
from leaflet.content.brand import brand_colours, brand_schema_text, colour_problems, load_brand, luminance, parse_colour
from leaflet.errors import ContentError
from leaflet.resources import theme as load_theme
from leaflet.text.printed import brand_footer

from . import pdfgeom
from .conftest import MINIMAL, ROOT, SAMPLE

pytestmark = pytest.mark.usefixtures("has_poppler")

ACCENT = (31, 111, 74)  # #1f6f4a

BRAND = textwrap.dedent("""\
    name: Riverside Family Clinic
    logo: logo.png
    colors:
      accent: "#1f6f4a"
    contact:
      - 12 Example Road, Springfield
      - "Phone: 555 0100"
    website: https://riverside.example
""")


def make_logo(path: Path, size: tuple[int, int] = (300, 120)) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (255, 255, 255))
    ImageDraw.Draw(image).rectangle((0, 0, size[0] - 1, size[1] - 1), fill=(200, 30, 30))  # red: not the accent
    image.save(path)
    return path


def brand_file(tmp_path: Path, text: str = BRAND, logo: bool = True) -> Path:
    if logo:
        make_logo(tmp_path / "logo.png")
    path = tmp_path / "brand.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def pdftotext(pdf: Path, page: int | None = None) -> str:
    where = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *where, "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def render(pdf: Path, tmp_path: Path, page: int = 1, dpi: int = 50, gray: bool = False):
    from PIL import Image

    out = tmp_path / f"render-{page}-{dpi}-{gray}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", *(["-gray"] if gray else []), "-f", str(page), "-l",
                    str(page), "-singlefile", str(pdf), str(out)], check=True)
    return Image.open(f"{out}.png").convert("L" if gray else "RGB")


def build(tmp_path: Path, source: Path = SAMPLE, brand: Path | None = None, **kw) -> tuple[leaflet.Document, Path]:
    doc = leaflet.load(source)
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, brand=str(brand) if brand else None, **kw))
    return doc, pdf


def red_pixels(image) -> list[tuple[int, int]]:
    w, h = image.size
    px = image.load()
    return [(x, y) for y in range(h) for x in range(w) if px[x, y][0] > 150 and px[x, y][1] < 90 and px[x, y][2] < 90]


# --- on the page ------------------------------------------------------------------------------------------

def test_the_brand_prints_above_the_title_and_in_every_footer_and_verifies(tmp_path):
    path = brand_file(tmp_path)
    doc, pdf = build(tmp_path, brand=path)
    brand = load_brand(path)
    pages = pdfgeom.read_words(pdf)
    line = brand_footer(brand.brand)
    assert line == ("Riverside Family Clinic · 12 Example Road, Springfield · Phone: 555 0100 · "
                    "https://riverside.example")
    for n in range(1, len(pages) + 1):
        assert " ".join(line.split()) in " ".join(pdftotext(pdf, n).split()), n
    first = pdfgeom.rows(pages[0].words)
    assert " ".join(w.text for w in first[0]) == "Riverside Family Clinic"  # the top row: above the kicker
    assert leaflet.verify(doc, pdf, brand=path) == []
    # the checks can fail: without the brand, its texts are unexpected (and the footers incomplete)
    problems = leaflet.verify(doc, pdf)
    assert any("Riverside" in p.message for p in problems)
    assert b"/URI (https://riverside.example)" in pdf.read_bytes()  # the website is a link


def test_the_logo_is_drawn_left_of_the_name_and_mirrored_in_right_to_left(tmp_path):
    path = brand_file(tmp_path)
    for source, rtl in ((SAMPLE, False), (ROOT / "content" / "baclofen" / "ar.yaml", True)):
        doc, pdf = build(tmp_path, source, brand=path)
        image = render(pdf, tmp_path)
        red = red_pixels(image)
        assert len(red) > 200, "the logo is not drawn"
        xs = [x for x, _ in red]
        name = next(w for w in pdfgeom.read_words(pdf)[0].words if w.text == "Riverside")
        scale = image.size[0] / pdfgeom.read_words(pdf)[0].width
        if rtl:
            assert min(xs) > name.x1 * scale and max(xs) > image.size[0] * 0.8
        else:
            assert max(xs) < name.x0 * scale and min(xs) < image.size[0] * 0.2
        assert leaflet.verify(doc, pdf, brand=path) == []


def test_an_svg_logo_is_drawn_as_vectors(tmp_path):
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">'
        '<rect x="0" y="0" width="300" height="100" fill="#c81e1e"/></svg>', encoding="utf-8")
    path = brand_file(tmp_path, BRAND.replace("logo.png", "logo.svg"), logo=False)
    doc, pdf = build(tmp_path, brand=path)
    assert b"/Subtype /Image" not in pdf.read_bytes()
    assert len(red_pixels(render(pdf, tmp_path))) > 200
    assert leaflet.verify(doc, pdf, brand=path) == []


def test_an_svg_logo_with_text_is_refused_at_the_logo_field(tmp_path):
    # svglib would draw the text in Helvetica, not embedded and never glyph-checked, and verify would
    # then find text that is in no content: the logo's text must be outlines
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">'
        '<rect x="0" y="0" width="100" height="100" fill="#c81e1e"/>'
        '<g><text x="110" y="60" font-size="30">Clinic</text></g></svg>', encoding="utf-8")
    path = brand_file(tmp_path, BRAND.replace("logo.png", "logo.svg"), logo=False)
    with pytest.raises(ContentError) as caught:
        leaflet.build_bytes(leaflet.parse(MINIMAL, "m.yaml"), brand=str(path))
    (d,) = caught.value.diagnostics
    assert (d.file, d.line, d.column, d.path, d.code) == (str(path), 2, 7, ("logo",), "logo")
    assert "has text in it" in d.message and "outlines" in d.hint


@pytest.mark.parametrize("paper", ["a4", "letter", "a5"])
def test_large_print_with_the_brand_keeps_to_the_text_area(paper, tmp_path):
    from .test_paper import analyse, check_pages

    path = brand_file(tmp_path)
    brand = load_brand(path).brand
    doc, pdf = build(tmp_path, brand=path, paper=paper, theme="large-print")
    pages, problems, area = analyse(doc, pdf, "large-print", brand)
    assert problems == []
    check_pages(doc, pdf, "large-print", paper, brand)  # no overlap, nothing outside, nothing in the footer
    if paper != "a5":  # (on A5 large print the page-fill rule does not hold yet: tests/test_paper.py)
        assert all(pdfgeom.empty_fraction(p, area) <= 0.25 for p in pages[:-1])
    assert leaflet.verify(doc, pdf, brand=path) == []


@pytest.mark.parametrize("language", ["zh", "he"])
def test_the_brand_prints_in_other_scripts(language, tmp_path):
    path = brand_file(tmp_path)
    doc, pdf = build(tmp_path, ROOT / "content" / "baclofen" / f"{language}.yaml", brand=path)
    assert leaflet.verify(doc, pdf, brand=path) == []
    assert "Riverside Family Clinic" in pdftotext(pdf, 2)


def test_a_brand_name_in_the_leaflets_script_prints_right_to_left(tmp_path):
    path = brand_file(tmp_path, BRAND.replace("Riverside Family Clinic", "عيادة النهر"))
    doc, pdf = build(tmp_path, ROOT / "content" / "baclofen" / "ar.yaml", brand=path)
    assert leaflet.verify(doc, pdf, brand=path) == []


def test_callouts_stay_apart_in_grayscale_with_the_accent(tmp_path):
    """The common callout's band takes a tint of the accent; the serious one stays black: their grays,
    read from the rendered page, keep a contrast of at least 3:1; the common one is no longer the theme's."""
    path = brand_file(tmp_path)
    doc, pdf = build(tmp_path, brand=path)
    pages = pdfgeom.read_words(pdf)
    page = next(p for p in pages if any(w.text == "COMMON" for w in p.words))
    image = render(pdf, tmp_path, page=page.number, dpi=72, gray=True)
    area = pdfgeom.Geometry.from_theme(load_theme("default"), page.width, page.height)

    def band_gray(label: str) -> float:
        w = next(w for w in page.words if w.text == label)
        return image.getpixel((int(area.right - 6), int((w.y0 + w.y1) / 2))) / 255

    def lum(g: float) -> float:
        return luminance((g, g, g))

    common, serious = band_gray("COMMON"), band_gray("SERIOUS")
    assert (lum(common) + 0.05) / (lum(serious) + 0.05) >= 3.0
    colours = brand_colours(load_brand(path).brand, load_theme("default")["colors"])
    assert abs(common - luminance(parse_colour(colours["common_band"])) ** (1 / 2.2)) < 0.08
    plain = leaflet.build_bytes(doc)
    (tmp_path / "plain.pdf").write_bytes(plain)
    assert abs(render(tmp_path / "plain.pdf", tmp_path, page=page.number, dpi=72, gray=True).getpixel(
        (int(area.right - 6), int(next(w for w in page.words if w.text == "COMMON").y0 + 5))) / 255 - common) > 0.01


def test_without_a_brand_nothing_changes(sample_pdf, sample_doc):
    assert leaflet.build_bytes(sample_doc, brand=None) == sample_pdf


# --- colours ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("accent", "says"), [
    ("#9fc5e8", "the accent colour #9fc5e8 gives a contrast of 1.8:1 for the clinic's name"),
    ("#ffff00", "the accent colour #ffff00 gives a contrast of 1.0:1"),
    ("#777", "the accent colour #777 gives a contrast of 4.4:1"),
])
def test_a_low_contrast_accent_is_refused_naming_the_colour_at_its_place(accent, says, tmp_path):
    path = brand_file(tmp_path, BRAND.replace("#1f6f4a", accent))
    doc = leaflet.load(SAMPLE)
    with pytest.raises(ContentError) as caught:
        leaflet.build_bytes(doc, brand=str(path))
    (d,) = caught.value.diagnostics
    assert (d.file, d.line, d.column, d.path, d.code) == (str(path), 4, 11, ("colors", "accent"), "contrast")
    assert says in d.message and "at least 4.5:1" in d.message
    assert d.hint.startswith("choose a darker or lighter accent, e.g. #")
    better = d.hint.split("e.g. ")[1]
    path.write_text(BRAND.replace("#1f6f4a", better), encoding="utf-8")
    assert leaflet.build_bytes(doc, brand=str(path))  # the suggestion passes


def test_the_contrast_check_uses_the_theme(tmp_path):
    """A theme whose table headers print dark text: a dark accent behind them is refused."""
    brand = load_brand(brand_file(tmp_path)).brand
    colours = {**load_theme("default")["colors"], "table_header_text": "#000000"}
    (d,) = colour_problems(brand, colours)
    assert "table headers' text (#000000)" in d.message


# --- the file ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "where", "says", "hint"), [
    (BRAND.replace("colors:", "colours:"), (3, 1), "unknown key 'colours'", "did you mean 'colors'?"),
    (BRAND.replace("website:", "web:"), (8, 1), "unknown key 'web'", "did you mean 'website'?"),
    (BRAND.replace('"#1f6f4a"', "#1f6f4a"), (4, 10), "colors.accent: the colour is empty", "in quotes"),
    (BRAND.replace('"#1f6f4a"', '"green"'), (4, 11), "'green' is not a colour written #RRGGBB", "e.g."),
    (BRAND.replace("name: Riverside Family Clinic\n", ""), (1, 1), "missing required field 'name'", ""),
    (BRAND.replace("https://riverside.example", "riverside.example"), (8, 10),
     "website: 'riverside.example' is not a web address", "https://example.org/clinic"),
    (BRAND.replace("logo.png", "missing.png"), (2, 7), "logo: the logo missing.png is not there", "relative"),
    (BRAND.replace("  - 12 Example Road, Springfield", '  - "12 Example\\u202e Road"'), (6, 16), "contact[0]:", ""),
])
def test_problems_in_a_brand_file_are_reported_at_their_place(text, where, says, hint, tmp_path):
    path = brand_file(tmp_path, text)
    with pytest.raises(ContentError) as caught:
        load_brand(path)
    (d,) = caught.value.diagnostics
    assert (d.line, d.column) == where, str(d)
    assert says in str(d) and hint in d.hint, str(d)
    assert d.code in leaflet.errors.CODES


def test_every_problem_at_once(tmp_path):
    path = brand_file(tmp_path, "name: ''\ncolours: {}\nwebsite: ftp://x\n")
    with pytest.raises(ContentError) as caught:
        load_brand(path)
    assert len(caught.value.diagnostics) == 3


def image_problem(tmp_path: Path, data: bytes | None = None, size: tuple[int, int] | None = None) -> str:
    logo = tmp_path / "logo.png"
    if size is not None:
        from PIL import Image

        Image.new("1", size).save(logo)
    else:
        logo.write_bytes(data or b"")
    path = brand_file(tmp_path, logo=False)
    with pytest.raises(ContentError) as caught:
        leaflet.build_bytes(leaflet.parse(MINIMAL, "m.yaml"), brand=str(path))
    (d,) = caught.value.diagnostics
    assert (d.file, d.line, d.column, d.path, d.code) == (str(path), 2, 7, ("logo",), "logo")
    return d.message


def test_a_logo_that_is_not_an_image_is_an_error_at_the_logo_field(tmp_path):
    assert "is not a PNG, JPEG or SVG image" in image_problem(tmp_path, b"GIF89a not a png")
    png = make_logo(tmp_path / "good.png").read_bytes()
    assert "cannot be read as an image" in image_problem(tmp_path, png[: len(png) // 2])
    assert "more than the 40 million pixels" in image_problem(tmp_path, size=(8000, 6000))
    assert "more than the 5 MB" in image_problem(tmp_path, b"\x89PNG\r\n\x1a\n" + b"\0" * (6 << 20))
    svg = b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'
    (tmp_path / "logo.svg").write_bytes(svg)
    path = brand_file(tmp_path, BRAND.replace("logo.png", "logo.svg"), logo=False)
    with pytest.raises(ContentError, match="declares a DTD or entities"):
        leaflet.build_bytes(leaflet.parse(MINIMAL, "m.yaml"), brand=str(path))


def test_a_character_no_font_prints_is_an_error_in_the_brand_file(tmp_path):
    path = brand_file(tmp_path, BRAND.replace("Riverside Family Clinic", "Riverside \U0001f3e5 Clinic"))
    with pytest.raises(ContentError) as caught:
        leaflet.build_bytes(leaflet.load(SAMPLE), brand=str(path))
    (d,) = caught.value.diagnostics
    assert (d.file, d.line, d.path, d.code) == (str(path), 1, ("name",), "glyph")


def test_the_published_brand_schema_is_up_to_date():
    assert (ROOT / "schema" / "brand.schema.json").read_text(encoding="utf-8") == brand_schema_text()


def test_the_command_line_builds_and_verifies_with_a_brand(tmp_path):
    import sys

    path = brand_file(tmp_path)
    out = tmp_path / "b.pdf"
    run = subprocess.run([sys.executable, "-m", "leaflet", "build", str(SAMPLE), "--brand", str(path), "-o", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([sys.executable, "-m", "leaflet", "verify", str(SAMPLE), str(out), "--brand", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    path.write_text(BRAND.replace("#1f6f4a", "#aaaaaa"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "leaflet", "build", str(SAMPLE), "--brand", str(path), "-o", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert f"{path}:4:11: error[contrast]: colors.accent: the accent colour #aaaaaa" in run.stderr


def test_the_brand_and_the_personal_panel_print_together(tmp_path):
    """A clinic's brand on a personalised leaflet (build --rx --brand): the panel first, then the brand."""
    from leaflet.api import build_personalised
    from leaflet.personal.rxfile import load as load_rx

    path = brand_file(tmp_path)
    rx = load_rx(ROOT / "examples" / "prescription.yaml")
    doc = leaflet.load(SAMPLE)
    for theme in ("default", "large-print"):
        pdf = build_personalised(doc, rx, theme=theme, brand=str(path))
        assert leaflet.verify(doc, pdf, rx, brand=path) == []
        out = tmp_path / f"rx-{theme}.pdf"
        out.write_bytes(pdf)
        text = " ".join(pdftotext(out, 1).split())
        assert text.index("Alex Example") < text.index("Riverside Family Clinic") < text.index("Patient information leaflet")
        assert len(red_pixels(render(out, tmp_path))) > 200  # the logo


def test_a_template_with_the_brand_stamps_panels_that_verify(tmp_path):
    """Lay out once with the brand (api.template(brand=...)), stamp a prescription: the brand and the
    panel both verify, as in a single personalised build."""
    from leaflet.api import build_personalised, stamp_personalised, template
    from leaflet.personal.rxfile import load as load_rx

    path = brand_file(tmp_path)
    rx = load_rx(ROOT / "examples" / "prescription.yaml")
    doc = leaflet.load(SAMPLE)
    pdf = stamp_personalised(template(doc, brand=str(path)), rx)
    assert leaflet.verify(doc, pdf, rx, brand=path) == []
    assert leaflet.verify(doc, pdf, rx) != []  # the brand's texts are there: without it they are unexpected
    single = build_personalised(doc, rx, brand=str(path))
    out, ref = tmp_path / "stamped.pdf", tmp_path / "single.pdf"
    out.write_bytes(pdf)
    ref.write_bytes(single)
    assert " ".join(pdftotext(out).split()) == " ".join(pdftotext(ref).split())


def test_a_brand_in_another_script_than_the_leaflets_prints(tmp_path):
    path = brand_file(tmp_path, "name: مركز الاختبار\ncontact:\n  - \"الهاتف: 555 0100\"\n", logo=False)
    doc = leaflet.load(SAMPLE)
    pdf = leaflet.build_bytes(doc, brand=str(path))
    assert leaflet.verify(doc, pdf, brand=str(path)) == []
