"""The public Python API: load, validate, build.

    import leaflet
    problems = leaflet.validate("content/baclofen/en.yaml")   # [] when the file is fine
    doc = leaflet.load("content/baclofen/en.yaml")            # raises leaflet.ContentError
    leaflet.build(doc, "output/baclofen-en.pdf")              # or leaflet.build_bytes(doc)
"""
from __future__ import annotations

import contextlib
import itertools
import os
import re
import signal
import stat
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Union

import msgspec

from .content import loader, validation
from .content.document import Document
from .content.model import is_set
from .errors import ContentError, Diagnostic, LeafletError, OutputError, ResourceError, UsageError
from .errors import Path as FieldPath
from .resources import BadLocale, Locale, locale_dirs, locale_for, shown
from .resources import theme as load_theme
from .text.printed import iter_texts

if TYPE_CHECKING:  # a plain build loads neither the prescription's model nor the brand's
    from .content.brand import BrandDocument
    from .personal.model import Prescription

MAX_INPUT_SIZE = loader.MAX_INPUT_SIZE  # bytes (10 MB)


_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,4}")
Locales = Iterable[str | os.PathLike[str]]


def _direction(source: loader.Source, dirs: tuple[str, ...]) -> str:
    """The writing direction of the leaflet's language, from its locale ("ltr" without one:
    a leaflet without a locale is refused anyway, by :func:`check`)."""
    language = source.data.get("language") if isinstance(source.data, dict) else None
    # not yet validated: only a well-formed tag names a locale file (never "../x" or 5,000 characters)
    if isinstance(language, str) and _LANGUAGE_TAG.fullmatch(language):
        try:
            return locale_for(language, dirs).direction
        except ResourceError:
            pass
    return "ltr"


def _document(source: loader.Source, dirs: tuple[str, ...], *, from_file: bool = True) -> Document:
    try:
        with loader.gc_paused():  # validation makes many small objects too (see gc_paused)
            return Document(validation.to_model(source, direction=_direction(source, dirs)), source, dirs, from_file)
    except ContentError as exc:
        raise ContentError(_with_glyph_problems(exc.diagnostics, source, dirs)) from None


def _with_glyph_problems(problems: list[Diagnostic], source: loader.Source, dirs: tuple[str, ...]) -> list[Diagnostic]:
    """A file with other problems has no model to run :func:`check` on, but its missing glyphs are
    reported with the rest all the same (every problem at once): the glyph check runs over the
    texts of the loaded data that print (:func:`validation.printed_values`), when its language
    names a locale. Nothing is added when it does not (that is among ``problems`` already)."""
    from .typeset.fonts import fonts_for, glyph_problems

    language = source.data.get("language") if isinstance(source.data, dict) else None
    if not isinstance(language, str) or not _LANGUAGE_TAG.fullmatch(language):
        return problems
    try:
        fonts = fonts_for(locale_for(language, dirs).script)
    except ResourceError:
        return problems
    refused = [p.path for p in source.problems if p.path]  # values the loader refused (an alias, a tag)
    # a control or format character is reported as one a leaflet may not hold: not twice
    controls = {p.path for p in problems if p.code == "character"}
    texts = ((path, "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
              if path in controls else text) for path, text in validation.printed_values(source.data))
    found = [source.map.place(p) for p in glyph_problems(fonts, texts)
             if not any(p.path[: len(r)] == r for r in refused)]
    if not found:
        return problems
    merged = sorted([*problems, *found], key=lambda d: (d.line == 0, d.line, d.column))
    return merged


def parse(text: str | bytes, file: str = "<input>", *, max_input_size: int = MAX_INPUT_SIZE,
          locales: Locales = ()) -> Document:
    """Validate leaflet YAML given as text (or as UTF-8 bytes, e.g. read from a pipe).
    ``locales``: folders of locale files searched before the bundled ones."""
    return _document(loader.parse(text, file, max_input_size=max_input_size), locale_dirs(None, locales),
                     from_file=False)


def load(path: str | os.PathLike[str], *, max_input_size: int = MAX_INPUT_SIZE, locales: Locales = ()) -> Document:
    """Read and validate a leaflet file. Raises :class:`ContentError` listing every problem.

    Only a regular file of at most ``max_input_size`` bytes is read (not a device or a pipe).
    The leaflet's locale is looked for in the folders ``locales`` (in order), then in
    ``locales/`` beside the file and in the folder above it, then among the bundled ones."""
    source = loader.load(path, max_input_size=max_input_size)  # first: a clean error for any bad path
    return _document(source, locale_dirs(path, locales))


def _locale(doc: Document) -> Locale:
    try:
        locale = locale_for(doc.leaflet.language, doc.locale_dirs, beside=doc.from_file)
        if doc.pseudo:  # a pseudo-localised leaflet (build --pseudo) prints pseudo-localised strings
            from .i18n.pseudo import pseudo_strings

            locale = msgspec.structs.replace(locale, strings=pseudo_strings(locale.strings, doc.leaflet.language))
        return locale
    except BadLocale as exc:
        raise ContentError([doc.source.map.place(Diagnostic(
            f"the locale for language '{doc.leaflet.language}' has problems", ("language",), str(exc),
            code="locale"))]) from None
    except ResourceError as exc:
        raise ContentError([doc.source.map.place(Diagnostic(
            f"leaflet has no locale for language '{doc.leaflet.language}'", ("language",), str(exc),
            code="locale"))]) from None


def check(doc: Document):
    """Checks that need the locale and fonts: every printed character has a glyph."""
    from .i18n.formats import cldr_of, samples
    from .typeset.fonts import check_locale, fonts_for, glyph_problems

    locale = _locale(doc)
    fonts = fonts_for(locale.script)
    # the locale's strings, and what CLDR adds to them: the revision date, the digits of page numbers
    printed = {**locale.strings, "_formatted": samples(cldr_of(locale.strings), doc.leaflet.revision.date)}
    check_locale(fonts, printed, lambda: shown(locale.file) if locale.file else f"locale '{locale.language}'")
    texts = iter_texts(doc.leaflet)
    if is_set(doc.leaflet.digital_url) and not locale.strings.get("digital_leaflet"):
        raise ContentError([doc.source.map.place(Diagnostic(
            f"the locale for language '{doc.leaflet.language}' has no 'digital_leaflet' string: the label printed "
            "beside the QR code of digital_url", ("digital_url",),
            "add \"digital_leaflet\" to its strings (leaflet locale en shows the English one)", code="locale"))])
    if is_set(doc.leaflet.digital_url):  # prints beside its QR code (not a text to translate: not in iter_texts)
        texts = itertools.chain(texts, [(("digital_url",), doc.leaflet.digital_url)])
    problems = glyph_problems(fonts, texts)
    if problems:
        raise ContentError([doc.source.map.place(p) for p in problems])
    return locale, fonts


def pseudo(doc: Document) -> Document:
    """``doc`` pseudo-localised (``leaflet build --pseudo``): every text it prints, its locale's
    strings included, accented and about 35% longer with bidi marks, numbers, doses, addresses
    and markup kept, and a banner on every page saying so; see :mod:`leaflet.i18n.pseudo`.
    Build and verify it as any document; its PDF's name ends in -pseudo."""
    from .i18n.pseudo import pseudo_document

    return pseudo_document(doc)


def validate(path: str | os.PathLike[str], *, max_input_size: int = MAX_INPUT_SIZE,
             locales: Locales = ()) -> list[Diagnostic]:
    """Every problem in a leaflet file (format, content rules, locale, glyphs); [] when it is fine."""
    try:
        check(load(path, max_input_size=max_input_size, locales=locales))
    except ContentError as exc:
        return exc.diagnostics
    return []


def settle(*, render: bool = False) -> None:
    """For a process that runs one command and then exits (the ``leaflet`` program; not for a
    process that goes on, such as a test run calling :func:`leaflet.cli.main`): import what the
    command needs (``render``: the typesetter, and ReportLab with it) with the garbage collector
    paused, then move every object made so far to the collector's permanent generation
    (:func:`gc.freeze`). They are modules, classes, functions and tables that live until the
    process ends; without this each collection during the build and the collections at exit
    scan them all again (about 4.5% of a build's instructions, and more of its time: the scan
    is memory-bound). What the build makes later is collected as usual."""
    import gc

    if render:
        with loader.gc_paused():
            from .typeset import render as _render  # noqa: F401
    gc.freeze()


def source_date_epoch() -> int | None:
    """``$SOURCE_DATE_EPOCH`` (reproducible builds: the PDF's dates), or None when unset."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > 253402300799:  # 9999-12-31
        raise UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970-01-01 "
                         "(see https://reproducible-builds.org/specs/source-date-epoch/)")
    return int(value)


def load_brand(path: str | os.PathLike[str], *, max_input_size: int = MAX_INPUT_SIZE) -> BrandDocument:
    """Read and validate a clinic's brand file (``build --brand``): its format, and its logo's
    file (there, readable, at most 5 MB, a PNG, JPEG or SVG). Raises :class:`ContentError` with
    every problem at its file:line:col. The colours are checked against the theme when building."""
    from .content.brand import load_brand as _load_brand

    return _load_brand(path, max_input_size=max_input_size)


BrandArg = Union["BrandDocument", str, os.PathLike[str], None]  # a loaded brand, or its file's path


def _brand(brand: BrandArg) -> BrandDocument | None:
    """A brand given as a loaded :class:`BrandDocument` or as the path of its file."""
    if brand is None:
        return None
    from .content.brand import BrandDocument

    if isinstance(brand, BrandDocument):
        return brand
    return load_brand(brand)


def check_brand(doc: Document | None, brand: BrandDocument, fonts: Any, theme: dict[str, Any]) -> Any:
    """Checks of a brand with a leaflet and a theme: its texts have glyphs in the leaflet's fonts,
    or else in the bundled font of their script (:func:`brand_fonts`; not checked when ``fonts``
    is None: no leaflet), its accent colour keeps text legible and
    callouts apart in grayscale; its logo can be read (returned, ready to draw, or None). Problems
    are ContentError at the brand file's fields."""
    from .content.brand import colour_problems
    from .errors import RenderError
    from .typeset.brand import read_logo

    problems = []
    if fonts is not None:
        problems = _brand_glyphs(brand, fonts)[1]
    problems.extend(brand.place(p) for p in colour_problems(brand.brand, theme["colors"]))
    if problems:
        raise ContentError(problems)
    try:
        return read_logo(brand)
    except RenderError as exc:
        raise ContentError([brand.place(Diagnostic(str(exc), exc.path, exc.hint, code=exc.code))]) from None


def brand_fonts(brand: BrandDocument, fonts: Any) -> Any:
    """The fonts to print ``doc``'s leaflet with ``brand``: the leaflet's own (``fonts``) when they
    print every text of the brand, else those and the primary font of every other script leaflet
    has fonts for (:func:`leaflet.typeset.fonts.every_script`, as for the personal panel): a clinic
    may write its name, contact lines or website in any script (an Arabic name on an English
    leaflet, a Latin one on a Chinese leaflet). Characters no bundled font has are a ContentError
    at the brand file's field (as :func:`check_brand` says)."""
    wide, problems = _brand_glyphs(brand, fonts)
    if problems:
        raise ContentError(problems)
    return wide


def _brand_glyphs(brand: BrandDocument, fonts: Any) -> tuple[Any, list[Diagnostic]]:
    """(the fonts the brand's texts print in, the glyph problems left with them, placed)."""
    from .content.brand import printed_texts
    from .resources import font_table
    from .typeset.fonts import every_script, glyph_problems

    texts = printed_texts(brand.brand)
    if not glyph_problems(fonts, texts):
        return fonts, []
    wide = every_script(fonts)
    hint = (f"write it in a script leaflet has fonts for (leaflet/data/fonts.json: {', '.join(font_table().scripts)}), "
            "or replace the character")
    found = []
    for d in glyph_problems(wide, texts):
        chars = d.message.split(" no glyph for ", 1)[-1]
        found.append(brand.place(Diagnostic(f"no font bundled with leaflet has a glyph for {chars}", d.path,
                                            d.hint if "variation selector" in d.hint else hint, code="glyph")))
    return wide, found


def build_bytes(doc: Document, *, paper: str = "a4", theme: str = "default", brand: BrandArg = None) -> bytes:
    """Lay out and render ``doc``; return the PDF as bytes. ``brand``: a clinic's brand
    (:func:`load_brand`, or the path of a brand file), printed above the title and in the footer.

    The PDF's creation and modification dates are ``$SOURCE_DATE_EPOCH`` when it is set,
    else the leaflet's revision date: never the clock, so the same input gives the same bytes."""
    return _build(doc, paper, theme, brand=brand)


def _build(doc: Document, paper: str, theme: str, brand: BrandArg = None) -> bytes:
    from .errors import RenderError
    from .typeset.render import render

    epoch, branded, locale, fonts, theme_data, logo = _prepared(doc, paper, theme, brand)
    try:
        return render(doc.leaflet, locale, theme_data, fonts, paper, epoch=epoch,
                      brand=branded.brand if branded is not None else None, logo=logo)
    except RenderError as exc:
        raise _placed(exc, doc, branded) from None


def _prepared(doc: Document, paper: str, theme: str, brand: BrandArg) -> tuple[Any, ...]:
    """What every render of ``doc`` needs, checked before anything is drawn: (PDF date epoch,
    the loaded brand or None, locale, fonts, theme data, the brand's logo or None)."""
    from .typeset.render import PAPER

    if paper not in PAPER:
        raise UsageError(f"paper '{paper}' is not one of: {', '.join(PAPER)}")
    epoch = source_date_epoch()
    branded = _brand(brand)
    locale, fonts = check(doc)
    theme_data = load_theme(theme)
    logo = None
    if branded is not None:
        logo = check_brand(doc, branded, fonts, theme_data)
        fonts = brand_fonts(branded, fonts)  # a brand in another script: the bundled font of its script
    return epoch, branded, locale, fonts, theme_data, logo


def _placed(exc: Any, doc: Document, branded: Any, rx_file: str | None = None) -> BaseException:
    """A layout problem (RenderError with a field path) as a ContentError at its place: a field of
    the brand file, a prescription's field (by its name, never its value; only when ``rx_file`` is
    given) or the content's field. An error with no path is returned as it is."""
    if not exc.path:
        return exc
    if exc.path[0] == "brand" and branded is not None:  # a field of the brand file
        return ContentError([branded.place(Diagnostic(str(exc), exc.path[1:], exc.hint, code=exc.code))])
    if rx_file is not None and exc.code == "panel":  # a prescription's text too long for its row
        return ContentError([Diagnostic(str(exc), exc.path, exc.hint, file=rx_file or "<prescription>", code="panel")])
    return ContentError([doc.source.map.place(Diagnostic(str(exc), exc.path, exc.hint, code=exc.code))])


# --- personalised leaflets (a prescription's panel at the top of page 1) ---------------------------------

def panel_rows_for(doc: Document, rx: Prescription, locale: Locale, fonts: Any, rx_file: str = "") -> list[Any]:
    """The personal panel's rows for ``rx`` on ``doc`` (:func:`leaflet.text.panel.panel_rows`),
    checked: the locale has the panel's strings, and the fonts draw every character of them.
    A problem names the prescription's field (``rx_file``), never its value."""
    return panel_for(doc, rx, locale, fonts, rx_file)[0]


def panel_for(doc: Document, rx: Prescription, locale: Locale, fonts: Any, rx_file: str = "") -> tuple[list[Any], Any]:
    """:func:`panel_rows_for`, and the fonts to draw them in: the leaflet's own (``fonts``) when
    they print every value of the prescription, else those and the primary font of every other
    script leaflet has fonts for (:func:`leaflet.typeset.fonts.every_script`): a patient, prescriber
    or pharmacy may write their name in any script. Characters no bundled font has are a
    ContentError naming the field (how many, and the code point of the first), never the value."""
    from .text.panel import missing_strings, panel_rows
    from .typeset.fonts import every_script, glyph_problems

    absent = missing_strings(locale.strings)
    if absent:
        raise ContentError([doc.source.map.place(Diagnostic(
            f"the locale for language '{doc.leaflet.language}' has no strings for the personal panel "
            f"({', '.join(absent)})", ("language",),
            f"add them to {shown(locale.file) if locale.file else 'the locale file'} (leaflet locale en shows the "
            "English ones)", code="locale"))])
    rows = panel_rows(rx, doc.leaflet, locale.strings)
    texts = [((seg.path[-1],), seg.text) for row in rows for seg in row.segments
             if seg.path[0] == "prescription" and not seg.generated]
    if not glyph_problems(fonts, texts):
        return rows, fonts
    fonts = every_script(fonts)
    found = [Diagnostic(message, path, hint, file=rx_file or "<prescription>", code="glyph")
             for path, message, hint in _rx_glyphs(fonts, texts)]
    if found:
        raise ContentError(found)
    return rows, fonts


def _rx_glyphs(fonts: Any, texts: list[tuple[Any, str]]) -> list[tuple[Any, str, str]]:
    """(path, message, hint) for each of a prescription's ``texts`` ((path, text)) that holds
    characters no font of ``fonts`` (:func:`leaflet.typeset.fonts.every_script`) prints."""
    from .resources import font_table
    from .typeset.fonts import glyph_problems

    found = []
    for d in glyph_problems(fonts, texts):
        # the characters themselves are patient data (all of them would spell the name): how many,
        # and the code point of the first, to tell a wrong script from a stray emoji or selector
        codes = list(dict.fromkeys(re.findall(r"U\+[0-9A-F]{4,6}", d.message)))
        many = f"{len(codes)} characters" if len(codes) > 1 else "a character"
        found.append((d.path, f"no font bundled with leaflet can print {many} of this field (the first: "
                      f"{codes[0] if codes else '?'})", "write it in a script leaflet has fonts for "
                      f"(leaflet/data/fonts.json: {', '.join(font_table().scripts)}), or replace the character"))
    return found


def with_glyph_problems(problems: ContentError | tuple[Diagnostic, ...], doc: Document,
                        texts: Iterable[tuple[str, str, Any]] = ()) -> list[Diagnostic]:
    """A prescription's problems (a :class:`leaflet.personal.model.RecordError`, or a sheet row's
    diagnostics with its ``texts``), and those of its texts that no font prints, with the leaflet
    ``doc`` at hand: the check :func:`panel_for` runs on a prescription without other problems (the
    leaflet's fonts, then those of every other script), run alongside them, so that every problem
    is reported at once. Each is at its field's place (a file's line and column, a sheet's row and
    column, a FHIR element), in the order of the places."""
    from .personal.model import RecordError
    from .typeset.fonts import every_script, fonts_for

    if isinstance(problems, ContentError):
        texts = problems.texts if isinstance(problems, RecordError) else ()
        problems = tuple(problems.diagnostics)
    texts = list(texts)
    if not texts:
        return list(problems)
    try:
        fonts = every_script(fonts_for(_locale(doc).script))
    except (ContentError, ResourceError):  # the leaflet's own problems are reported with it
        return list(problems)
    where = {field: place for field, _, place in texts}
    found = [where[path[0]].diagnostic(message, path[0], hint, code="glyph")
             for path, message, hint in _rx_glyphs(fonts, [((field,), text) for field, text, _ in texts])]
    return sorted([*problems, *found], key=lambda d: (d.line == 0, d.line, d.column)) if found else list(problems)


def build_personalised(doc: Document, rx: Prescription, *, paper: str = "a4", theme: str = "default",
                       brand: BrandArg = None, rx_file: str = "") -> bytes:
    """``doc`` with ``rx``'s personal panel at the top of page 1 (USP <17> order; see
    :mod:`leaflet.typeset.panel`); return the PDF as bytes, deterministic like :func:`build_bytes`.

    The leaflet is built as it is: pick the translation in the prescription's language first with
    :func:`personal_document`. A text of the prescription that does not fit in the panel, or that
    the fonts cannot print, is a ContentError naming the field (``rx_file``: where the prescription
    came from, for the message), never its value. No patient data goes into the PDF's metadata."""
    try:  # the path of leaflet batch (lay out, stamp): a leaflet built alone is the one a batch gives
        return stamp_personalised(template(doc, paper=paper, theme=theme, brand=brand), rx, rx_file=rx_file)
    except LeafletError:
        raise
    except Exception as exc:  # a bug: its message may quote the panel's text (patient data), so it is withheld
        if os.environ.get("LEAFLET_DEBUG"):
            raise
        from .errors import RenderError

        raise RenderError(f"internal error while building a personalised leaflet ({type(exc).__name__}); its "
                          "message is not shown, as it may hold patient data: run again with LEAFLET_DEBUG=1 "
                          "to see the traceback, and report it without the prescription") from None


def panel_rect(doc: Document, *, paper: str = "a4", theme: str = "default", rx: Prescription | None = None,
               brand: BrandArg = None) -> Any:
    """The personal panel's rectangle on page 1 of ``doc`` (a :class:`leaflet.typeset.panel.Rect`,
    in points), for ``rx``'s panel (as tall as its rows need, rounded up to a whole number of
    lines: its height class), or without ``rx`` for a panel of the default class (room for every
    row at its usual number of lines). It depends on the paper, theme and language, on the brand
    (``brand``: as :func:`build_bytes` takes it; its footer line leaves page 1 less room, so a panel
    may be laid out more compactly, or take page 1 to itself), and on the prescription only through
    its class. For laying a leaflet out once (:func:`build_reserved`, with the same ``brand``) and
    drawing each panel of that class into it (:func:`leaflet.typeset.panel.draw_prescription`)."""
    t = template(doc, paper=paper, theme=theme, brand=brand)
    lines = None if rx is None else _measured(t, rx, "")[0].lines
    return t.geometry(lines)[0]


def build_reserved(doc: Document, *, paper: str = "a4", theme: str = "default", rx: Prescription | None = None,
                   brand: BrandArg = None) -> bytes:
    """``doc`` laid out as :func:`build_personalised` lays it out for ``rx`` (without it: for a
    panel of the default class) and ``brand``, with the panel's rectangle (:func:`panel_rect`)
    left empty: every page but the panel's texts, for stamping panels into. Deterministic like
    :func:`build_bytes`."""
    from .errors import RenderError
    from .typeset.panel import Panel
    from .typeset.render import render

    t = template(doc, paper=paper, theme=theme, brand=brand)
    lines = None if rx is None else _measured(t, rx, "")[0].lines
    epoch, branded, render_theme, logo = t._prepared
    try:
        return render(doc.leaflet, t.locale, render_theme, t.fonts, paper, epoch=epoch,
                      panel=Panel.reserved(render_theme, lines),
                      brand=branded.brand if branded is not None else None, logo=logo)
    except RenderError as exc:
        raise _placed(exc, doc, branded) from None


MAX_LAYOUTS = 12  # a Template's layouts kept (one per panel height class): memory stays flat


class Template:
    """A leaflet prepared once to stamp prescriptions into (:func:`stamp_personalised`): see
    :mod:`leaflet.typeset.stamp`. It is laid out once per *height class* of the panels stamped
    into it (the panel's height in whole body lines, :attr:`leaflet.typeset.panel.Panel.lines`):
    a short prescription gets a tight panel, a long address a taller one, and every prescription
    of a class shares one layout. The layouts are made when first needed and at most
    :data:`MAX_LAYOUTS` are kept (the least recently used goes), so memory stays flat however
    many prescriptions are stamped; a layout made again has the same bytes."""

    def __init__(self, doc: Document, paper: str, theme: str, locale: Locale, fonts: Any, theme_data: dict[str, Any],
                 prepared: tuple[Any, ...]) -> None:
        self.doc, self.paper, self.theme, self.locale, self.fonts = doc, paper, theme, locale, fonts
        self.theme_data = theme_data  # the stamped panels' theme: with the brand's colours
        self._prepared = prepared  # (epoch, loaded brand or None, the theme to render, logo)
        self._layouts: dict[int, Any] = {}  # height class -> leaflet.typeset.stamp.Template, oldest first
        self._geometry: dict[int | None, tuple[Any, float, float, float]] = {}
        self._lock = threading.RLock()  # one Template may stamp in several threads: its caches change under it
        self.rtl = locale.direction == "rtl"

    def geometry(self, lines: int | None) -> tuple[Any, float, float, float]:
        """(the panel's rectangle for height class ``lines``, the tallest panel page 1 has room for,
        page 1's whole body: the most a compact panel taking page 1 to itself may have, and that
        body with page 1's margins given: the most a tight one may have)."""
        with self._lock:
            found = self._geometry.get(lines)
            if found is None:
                from .typeset.render import panel_geometry

                _, branded, render_theme, _ = self._prepared
                if len(self._geometry) > 64:
                    self._geometry.clear()
                found = self._geometry[lines] = panel_geometry(
                    self.doc.leaflet, self.locale, render_theme, self.fonts, self.paper, lines,
                    branded.brand if branded is not None else None)
            return found

    def layout(self, lines: int | None = None) -> Any:
        """The leaflet laid out with an empty panel of height class ``lines`` (None: the default
        class), as a :class:`leaflet.typeset.stamp.Template`; made once, kept while it is used."""
        from .typeset.panel import default_lines

        if lines is None:
            lines = default_lines(self.theme_data)
        with self._lock:  # (a layout made while another thread waits: it is not made twice)
            found = self._layouts.pop(lines, None)
            if found is None:
                found = self._lay_out(lines)
                while len(self._layouts) >= MAX_LAYOUTS:
                    del self._layouts[next(iter(self._layouts))]
            self._layouts[lines] = found  # the most recently used last
            return found

    @property
    def pdf(self) -> Any:
        """The layout with a panel of the default class (:meth:`layout`)."""
        return self.layout(None)

    def _lay_out(self, lines: int) -> Any:
        from .errors import RenderError
        from .typeset import stamp
        from .typeset.panel import Panel
        from .typeset.render import FontState, render

        epoch, branded, render_theme, logo = self._prepared
        states: list[FontState] = []
        try:
            pdf = render(self.doc.leaflet, self.locale, render_theme, self.fonts, self.paper, epoch=epoch,
                         panel=Panel.reserved(render_theme, lines), font_states=states,
                         brand=branded.brand if branded is not None else None, logo=logo)
        except RenderError as exc:
            raise _placed(exc, self.doc, branded) from None
        return stamp.Template(pdf, states)


def template(doc: Document, *, paper: str = "a4", theme: str = "default", brand: BrandArg = None) -> Template:
    """``doc`` prepared to stamp prescriptions into (see :class:`Template`): checked now (content,
    fonts, theme, brand), laid out once per panel height class when first stamped. Each layout is
    the one :func:`build_personalised` gives, deterministic like :func:`build_bytes`, and verifies as
    the leaflet it is (without a panel). ``brand``: a clinic's brand, printed as :func:`build_bytes`
    prints it (the stamped panels take its colours too)."""
    epoch, branded, locale, fonts, theme_data, logo = _prepared(doc, paper, theme, brand)
    panel_theme = theme_data
    if branded is not None:  # the panels stamped in are drawn in the brand's colours, as render draws them
        from .content.brand import brand_colours

        panel_theme = {**theme_data, "colors": brand_colours(branded.brand, theme_data["colors"])}
    return Template(doc, paper, theme, locale, fonts, panel_theme, (epoch, branded, theme_data, logo))


def _measured(t: Template, rx: Prescription, rx_file: str) -> tuple[Any, Any]:
    """``rx``'s panel for ``t``, laid out (its rows wrapped, its height class known) and checked to
    fit on page 1; and the fonts it is drawn in. Problems are ContentError naming the field."""
    from .errors import RenderError
    from .typeset.hyphenate import hyphenator_for
    from .typeset.layout import Styles
    from .typeset.panel import Panel, more_room

    rows, fonts = panel_for(t.doc, rx, t.locale, t.fonts, rx_file)
    rect, room, full, most = t.geometry(None)
    panel = Panel(rows, fonts, Styles(fonts, t.theme_data, hyphenation=hyphenator_for(t.doc.leaflet)),
                  t.theme_data, t.rtl)
    try:
        panel.fit(rect.width, room, full, most, more_room=more_room(t.paper, t.theme))
    except RenderError as exc:  # a text too long for its row or the page: its field, never its value
        raise ContentError([Diagnostic(str(exc), exc.path, exc.hint, file=rx_file or "<prescription>",
                                       code=exc.code or "panel")]) from None
    return panel, fonts


def _panel(t: Template, rx: Prescription, rx_file: str) -> Any:
    """``rx``'s panel drawn for the template ``t`` (leaflet.typeset.stamp.Panel), in the layout of
    its height class (``.lines``)."""
    from .typeset import stamp
    from .typeset.panel import Rect

    panel, fonts = _measured(t, rx, rx_file)
    layout = t.layout(panel.lines)
    x0, y0, x1, y1 = layout.bbox
    drawn = stamp.draw_panel(layout, fonts, lambda canv: panel.draw(canv, Rect(x0, y0, x1 - x0, y1 - y0)))
    drawn.lines = panel.lines
    return drawn


def stamp_panel(t: Template, rx: Prescription, *, rx_file: str = "") -> Any:
    """``rx``'s panel drawn for the template ``t``, not yet stamped (a leaflet.typeset.stamp.Panel:
    picklable, for :func:`merge_panels` in another process; ``.lines`` is its height class)."""
    return _panel(t, rx, rx_file)


def stamp_personalised(t: Template, rx: Prescription, *, rx_file: str = "") -> bytes:
    """The template ``t`` with ``rx``'s personal panel stamped in: a complete PDF, the bytes
    :func:`build_personalised` gives, in a few milliseconds once ``t`` is laid out for the panel's
    height class. Deterministic: the same template and prescription give the same bytes, whatever
    was stamped before. Raises ContentError (naming the field, never its value) for a text that
    does not fit in the panel or that no bundled font can print."""
    return stamp_with(t, _panel(t, rx, rx_file))


def stamp_with(t: Template, panel: Any) -> bytes:
    """The template ``t`` with a panel from :func:`stamp_panel` stamped in."""
    from .typeset import stamp

    return stamp.stamp(t.layout(panel.lines), panel)


def merge_panels(out: Any, leaflets: Iterable[tuple[Template, Any] | tuple[Template, Any, str]], *,
                 title: str = "Leaflets") -> int:
    """Write each (template, panel from :func:`stamp_panel`), one after the other, into the binary file
    ``out`` as one PDF (each layout's shared objects once, streaming); return its page count. An
    item with a third member, a label, gets an outline entry (a bookmark) to its first page: it is
    printed in viewers' side panels, so it must hold no patient data."""
    from .typeset import stamp

    return stamp.merge(out, ((item[0].layout(item[1].lines), *item[1:]) for item in leaflets), title=title)


def stamp_merged(out: Any, leaflets: Iterable[tuple[Template, Prescription]], *, title: str = "Leaflets") -> int:
    """Stamp each (template, prescription) and write them all, one after the other, into the binary
    file ``out`` as one PDF (each layout's shared objects once); return its page count."""
    return merge_panels(out, ((t, _panel(t, rx, "")) for t, rx in leaflets), title=title)


def check_personal(doc: Document, rx: Prescription, *, rx_file: str = "", paper: str = "a4", theme: str = "default",
                   brand: BrandArg = None) -> None:
    """What building ``rx``'s panel on ``doc`` checks (``leaflet validate --rx``; :func:`build_personalised`
    runs the same code, before the leaflet is laid out): the leaflet's own checks, its locale's panel
    strings, that its fonts print every text of the prescription, and the panel measured as build
    measures it on ``paper`` in ``theme`` (with ``brand``, whose footer takes room from page 1): each
    row within the lines it may take, the panel within what page 1 has room for. Raises ContentError
    (a prescription's field named, never its value; code ``panel`` for a text too long)."""
    _measured(template(doc, paper=paper, theme=theme, brand=brand), rx, rx_file)


def personal_document(doc: Document, rx: Prescription, *, max_input_size: int = MAX_INPUT_SIZE,
                      locales: Locales = ()) -> tuple[Document, str | None]:
    """The leaflet to personalise for ``rx``: ``doc`` when it is in the prescription's language,
    else the translation beside it (``<language>.yaml`` in the same folder, then the language
    without its region: ``pt.yaml`` for ``pt-BR``), else ``doc`` with a warning (the text of the
    warning holds no patient data: not even the prescription's language)."""
    wanted = rx.language
    tags = list(dict.fromkeys([wanted, wanted.split("-")[0]]))
    if doc.leaflet.language in tags:
        return doc, None
    if doc.from_file:
        folder = Path(doc.path).parent
        for tag in tags:
            candidate = folder / f"{tag}.yaml"
            if candidate.is_file():
                return load(candidate, max_input_size=max_input_size, locales=locales), None
        where = f"{shown(folder)}{os.sep}"
    else:
        where = "standard input (no folder to look in)"
    return doc, (f"the leaflet has no translation in the prescription's language in {where}: the panel and "
                 f"the leaflet are printed in '{doc.leaflet.language}', from {doc.path}")


def personal_output_name(doc: Document) -> str:
    """The default name of a personalised leaflet's PDF: ``<leaflet>-<language>-personal``. Never any
    of the prescription's data (give -o for a name of your own)."""
    return f"{doc.output_name}-personal"


_TEMP_SUFFIX = ".leaflet-tmp"
_TEMP_NAME = re.compile(r"^\..+\.([0-9a-f]{6})-(\d+)\.[0-9a-f]{8}" + re.escape(_TEMP_SUFFIX) + "$")
STALE_AFTER = 60.0  # seconds: a temporary file younger than this is never taken for a dead process's


def _host() -> str:
    """Six hex digits naming this machine: a folder shared with other machines (NFS) holds
    temporaries whose process ids mean nothing here, and they are left alone."""
    import hashlib

    # os.uname().nodename is socket.gethostname() without importing socket (3 ms of every start)
    return hashlib.sha1(os.uname().nodename.encode("utf-8", "replace")).hexdigest()[:6]


class Signalled(BaseException):
    """A termination signal, raised where the program is so that cleanups run."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def raise_on_signals(names: tuple[str, ...]) -> Iterator[None]:
    """While inside: each named signal whose action is the default (ending the process on the
    spot) raises :class:`Signalled` instead. Handlers a program installed itself (Python's
    KeyboardInterrupt for SIGINT, the command line's) are left as they are; outside the main
    thread nothing changes (only it may install handlers)."""
    def handler(signum: int, frame: object) -> None:
        raise Signalled(signum)

    replaced = {}
    if threading.current_thread() is threading.main_thread():
        for name in names:
            signum = getattr(signal, name, None)
            if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
                replaced[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in replaced.items():
            signal.signal(signum, old)


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """While a temporary file exists: a SIGTERM, SIGHUP or SIGINT whose action is the default
    raises instead, so that the file is removed; then the signal is delivered again, with its
    default action (the handlers are back as they were by then)."""
    try:
        with raise_on_signals(("SIGTERM", "SIGHUP", "SIGINT")):
            yield
    except Signalled as exc:
        signal.raise_signal(exc.signum)
        raise  # pragma: no cover - the default action ended the process


def _alive(pid: int) -> bool:
    if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) would end the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> list[str]:
    """Remove the temporary files of leaflet processes of this machine that no longer run
    (killed while writing) from ``folder``, if older than a minute; return their names."""
    import time

    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    host, now = _host(), time.time()
    for entry in entries:
        m = _TEMP_NAME.match(entry.name)
        if not m or m.group(1) != host or int(m.group(2)) == os.getpid() or _alive(int(m.group(2))):
            continue
        with contextlib.suppress(OSError):
            if entry.stat(follow_symlinks=False).st_mtime < now - STALE_AFTER:
                os.unlink(entry.path)
                removed.append(entry.name)
    return removed


def _regular_target(path: Path) -> Path:
    """The file to replace: ``path``, or where it links to. Only a regular file (or none) will do."""
    target = Path(os.path.realpath(path))
    shown = str(path) if target == Path(os.path.abspath(path)) else f"{path} (a link to {target})"
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"cannot write {shown}: it is a folder")
    if not stat.S_ISREG(info.st_mode):
        kind = loader.FILE_KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise OutputError(f"cannot write {shown}: it is {kind}; leaflet replaces only regular files")
    return target


def write_atomic(path: str | os.PathLike[str], data: bytes, *, sync: bool = True, clean: bool = True) -> Path:
    """Write ``data`` to ``path`` via a temporary file and a rename: never a partial file.

    A link is followed (the file it points to is replaced; the link stays); a device, a pipe
    or a folder at ``path`` is refused with :class:`OutputError`, never replaced. The temporary
    file (``.NAME.HOST-PID.RANDOM.leaflet-tmp`` beside the target) is removed on any error and on
    SIGTERM, SIGHUP and SIGINT; ones left by killed processes are removed (``clean``). ``sync``: the
    file is on disk before it takes the name (a batch passes False, and syncs once at its end).
    Returns the path written."""
    shown = Path(path)
    if "\0" in str(shown):
        raise OutputError(f"cannot write {str(shown)!r}: the file name holds a NUL character")
    target = _regular_target(shown)
    for folder in reversed(target.parents):
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"cannot write {shown}: {folder} is a file, not a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: cannot make the folder {target.parent}: {exc.strerror}") from None
    if clean:
        remove_stale_temporaries(target.parent)
    tmp = target.parent / f".{target.name}.{_host()}-{os.getpid()}.{os.urandom(4).hex()}{_TEMP_SUFFIX}"
    with _signals_unwind():
        try:
            # 0o666 less the umask: the permissions a new file gets (a leaflet is not private)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                with contextlib.suppress(FileNotFoundError):  # a file replaced keeps its permissions
                    os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
                if sync:
                    os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError):
                raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None
            raise
    return target


def build(doc: Document, path: str | os.PathLike[str], *, paper: str = "a4", theme: str = "default",
          brand: BrandArg = None) -> Path:
    """Build ``doc`` into the PDF file ``path`` (written atomically); return the path."""
    write_atomic(path, build_bytes(doc, paper=paper, theme=theme, brand=brand))
    return Path(path)


def verify(doc: Document, pdf: str | os.PathLike[str] | bytes, rx: Prescription | None = None, *,
           brand: BrandArg = None) -> list[Diagnostic]:
    """Check that the PDF (a file or its bytes) prints ``doc``: every text, in order, each in its
    place, visibly, and nothing else; ``[]`` when it does. Raises :class:`leaflet.PdfError` for a
    PDF that cannot be checked (missing, not a PDF, truncated, damaged, encrypted) and
    :class:`ContentError` for content problems (such as a language without a locale).
    ``rx``: the PDF is ``doc`` personalised with this prescription; its panel is checked too,
    and no message quotes it. ``brand`` (the one it was built with): the clinic's name above the
    title and its footer line on every page are checked too."""
    from .check.verify import verify as _verify

    check(doc)
    branded = _brand(brand)
    return _verify(doc, pdf if isinstance(pdf, bytes) else Path(pdf), rx,
                   brand=branded.brand if branded is not None else None)


# --- XLIFF 1.2 for CAT tools (leaflet xliff export / import) -----------------------------------------

class XliffExport(NamedTuple):
    """An exported XLIFF file: its text, its default name (``<leaflet>-<source>-<target>.xlf``), how many
    texts it holds to translate, and how many targets the existing translation (its file, or None) filled in."""

    text: str
    name: str
    units: int
    targets: int
    translation: str | None


class XliffImport(NamedTuple):
    """An imported translation: its YAML text, language, how many texts, the source it translates
    (as its ``translation.source`` says) and a warning worth showing (or "")."""

    text: str
    language: str
    units: int
    source: str
    warning: str


def _translation_check() -> Any:
    """leaflet.check.translation (``leaflet check``), or None while it is not there."""
    import importlib

    try:  # the seam for 'leaflet check' (leaflet.check.translation), which lands separately
        return importlib.import_module(".check.translation", __package__)
    except ImportError:  # pragma: no cover - depends on the version
        return None


def source_fingerprint(doc: Document) -> str | None:
    """The fingerprint ``leaflet check`` records of a source in its translations, or None without ``check``."""
    check_module = _translation_check()
    return None if check_module is None else str(check_module.fingerprint(doc))


def _changed_since(source: Document, recorded: str) -> frozenset[FieldPath] | bool:
    """The texts of ``source`` that changed since the fingerprint ``recorded`` (a translation's
    ``translation.fingerprint``) was taken: their paths; True when the fingerprint cannot tell
    which (not one leaflet wrote); nothing without leaflet check."""
    import difflib

    check_module = _translation_check()
    if check_module is None:
        return frozenset()
    current = check_module.fingerprint(source)
    if current == recorded:
        return frozenset()
    old, new = check_module.parse_fingerprint(recorded), check_module.parse_fingerprint(current)
    if old is None or new is None:
        return True
    entries = check_module.texts(source.leaflet)
    changed: set[FieldPath] = set()
    for op, _i1, _i2, j1, j2 in difflib.SequenceMatcher(None, old[1], new[1], autojunk=False).get_opcodes():
        if op != "equal":
            changed.update(entries[j][0] for j in range(j1, j2))
    return frozenset(changed) if changed else True  # the same texts, moved: every one to review


def xliff_export(source: str | os.PathLike[str], language: str, *,
                 translation: str | os.PathLike[str] | bool | None = None, max_input_size: int = MAX_INPUT_SIZE,
                 locales: Locales = (), tool_version: str = "") -> XliffExport:
    """An XLIFF 1.2 file to translate the leaflet ``source`` into ``language``. The targets are
    filled in from ``translation`` (a file; None: ``<language>.yaml`` beside the source when there
    is one; False: none); ``tool_version`` goes in the file's header. Raises ContentError for problems
    in either file, UsageError for a bad language."""
    from .i18n import xliff

    if not isinstance(language, str) or not _LANGUAGE_TAG.fullmatch(language):
        raise UsageError(f"--to {language!r} is not a language tag: write e.g. es, de, pt-BR, zh-Hans")
    raw = loader.read(source, max_input_size)
    text = loader.decode(raw, str(source))
    doc = _document(loader.parse(text, str(source), max_input_size=max_input_size), locale_dirs(source, locales))
    if language == doc.leaflet.language:
        raise UsageError(f"{source} is in '{language}' already: --to names the language to translate into")
    if translation is None:
        beside = Path(source).parent / f"{language}.yaml"
        translation = beside if beside.is_file() else False
    found: xliff.Translation | None = None
    if translation is not False and translation is not True:
        tdoc = load(translation, max_input_size=max_input_size, locales=locales)
        if tdoc.leaflet.language != language:
            raise UsageError(f"{translation} is in '{tdoc.leaflet.language}', not '{language}': "
                             "name the translation into the language of --to, or leave out --translation")
        recorded = tdoc.leaflet.translation.fingerprint if tdoc.leaflet.translation else None
        found = xliff.Translation(tdoc.leaflet, tdoc.source.data,
                                  _changed_since(doc, recorded) if isinstance(recorded, str) else frozenset())
    out = xliff.export(doc.leaflet, doc.source.data, text, language, original=Path(source).name,
                       translation=found, fingerprint=source_fingerprint(doc), tool_version=tool_version)
    return XliffExport(out.text, f"{doc.output_name}-{language}.xlf", out.units, out.targets,
                       str(translation) if found is not None else None)


def xliff_import(xlf: str | os.PathLike[str], *, source: str | os.PathLike[str] | None = None,
                 output: str | os.PathLike[str] | None = None, check: bool = True,
                 max_input_size: int = MAX_INPUT_SIZE, locales: Locales = ()) -> XliffImport:
    """The translated leaflet (YAML text) rebuilt from the XLIFF 1.2 file ``xlf``: the structure from
    ``source`` (default: the copy of the source kept in the XLIFF file), the texts from its targets.
    ``output``: where it will be written (its ``translation.source`` is the source's path from
    there). With ``check``, it is compared with its source as ``leaflet check`` compares them.
    Raises ContentError with every problem, each at its place in the XLIFF file."""
    from .i18n import xliff

    name = str(xlf)
    raw = loader.read(xlf, max_input_size * 6)  # it holds the source, and each text twice
    xf = xliff.read(raw, name)
    if source is not None:
        sdoc = load(source, max_input_size=max_input_size, locales=locales)
        base = Path(output).parent if output is not None else Path(".")
        source_name = os.path.relpath(Path(source), base) if output is not None else Path(source).name
    elif xf.skeleton is not None:
        skeleton = f"{name} (its copy of {xf.original or 'the source'})"
        sdoc = _document(loader.parse(xf.skeleton, skeleton, max_input_size=max_input_size),
                         locale_dirs(None, locales), from_file=False)
        source_name = xf.original or "source.yaml"
    else:
        raise ContentError([Diagnostic(
            "the file holds no copy of its source (<skl> in <header>): the CAT tool left it out", (),
            f"name the source it was exported from: --source {xf.original or 'SOURCE.yaml'}", *xf.place(),
            code="xliff")])
    if xf.source_language and xf.source_language != sdoc.leaflet.language:
        raise ContentError([Diagnostic(
            f"the file translates from '{xf.source_language}', but the source is in '{sdoc.leaflet.language}'", (),
            "import it against the source it was exported from (--source)", *xf.place(), code="xliff")])
    if xf.target_language == sdoc.leaflet.language:
        raise ContentError([Diagnostic(
            f"the target language '{xf.target_language}' is the source's own", (),
            "set target-language on <file> to the language translated into", *xf.place(), code="xliff")])
    rebuilt = xliff.rebuild(xf, sdoc.leaflet, sdoc.source.data, source_name=source_name.replace(os.sep, "/"),
                            fingerprint=source_fingerprint(sdoc))
    shown = str(output) if output is not None else f"<{xf.target_language} translation>"
    try:
        tdoc = _document(loader.parse(rebuilt.text, shown, max_input_size=max_input_size * 2),
                         locale_dirs(output, locales), from_file=output is not None)
    except ContentError as exc:
        raise ContentError(xliff.relocate(exc.diagnostics, rebuilt.places, xf.place())) from None
    check_module = _translation_check()
    if check and check_module is not None:
        problems = check_module.check_translation(sdoc, tdoc, stale=False)
        if problems:
            raise ContentError(xliff.relocate(problems, rebuilt.places, xf.place()))
    warning = ""
    if output is not None and not (Path(output).parent / source_name).is_file():
        warning = (f"{output} says it translates {source_name}, which is not beside it: "
                   "keep a translation beside its source (content/<leaflet>/<language>.yaml), or import with --source")
    count = sum(u.translate for u in xliff.units(sdoc.leaflet, sdoc.source.data))
    return XliffImport(rebuilt.text, xf.target_language, count, source_name, warning)
