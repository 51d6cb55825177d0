"""Lay out once, stamp many: a leaflet rendered once per language, each prescription's panel put in.

A leaflet laid out with room for the personal panel (:func:`leaflet.typeset.render.render` with
``panel_height``) is a *template*: page 1 draws, first of all, an empty form XObject
(:data:`~leaflet.typeset.render.PANEL_FORM`) whose box is the panel's rectangle. Stamping a
prescription writes a copy of the template's bytes with that one object replaced by a form
holding the panel, plus the panel's own font subsets; every other object (pages, contents, the
leaflet's fonts, outline, metadata) is copied byte for byte, and a new cross-reference table and
trailer are written. Nothing is laid out again and nothing of the template is parsed again, so a
stamp costs the panel's drawing, its font subsets and a copy: a few milliseconds.

- **Reading order.** The form is drawn before page 1's body, so the panel's texts are the first
  a reader (``pdftotext``, ``leaflet verify``) finds on page 1; its box clips it to its
  rectangle (text outside it is "clipped away" for ``verify``).
- **Fonts.** The panel is drawn on a ReportLab canvas of its own (in the page's coordinates), so
  its texts get the leaflet's font chain, fallbacks, shaping and bidi order like any text; its
  fonts are subsets of their own holding exactly the panel's glyphs (every script the patient's
  name needs), named with a tag of their own (never the same name as a subset of the leaflet).
- **Same input, same bytes.** A panel's bytes depend only on the template and the panel drawn:
  not on what the process stamped before, nor on how many processes share a batch. The /ID is
  the template's, then a digest of the stamped file.
- **Patient data** is only in the panel's content and its fonts' ToUnicode maps: never in the
  metadata (the template's, untouched) nor in a font's name.

:func:`merge` writes many stamped leaflets as one print-ready PDF, each template's shared
objects (fonts, contents of pages 2 onwards) once.

pikepdf (qpdf) reads a template once, to find its objects; the stamps are written here.
"""
from __future__ import annotations

import hashlib
import io
import re
import zlib
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

import pikepdf
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfdoc import xObjectName
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFont
from reportlab.pdfgen.canvas import Canvas

from ..errors import RenderError
from . import shaping
from .fonts import FontSet, TextObject
from .render import PANEL_FORM, FontState

Draw = Callable[[Canvas], None]
"""Draws a panel on a canvas, in the coordinates of page 1 (inside the template's panel rectangle)."""

_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_SLOT = "/" + xObjectName(PANEL_FORM)


class Template:
    """A leaflet rendered with room for the panel (see the module's docstring), read once.

    ``pdf``: the template's bytes, as :func:`leaflet.typeset.render.render` wrote them with
    ``panel_height``. Raises :class:`RenderError` for a PDF that has no panel slot."""

    def __init__(self, pdf: bytes, font_states: list[FontState]) -> None:
        self.pdf = pdf
        self.font_states = font_states
        self.digest = hashlib.sha256(pdf).digest()  # who it is, in a merged file and a batch's manifest
        try:
            with pikepdf.open(io.BytesIO(pdf)) as p:
                page = p.pages[0]
                resources: Any = page.obj.get("/Resources")
                xobjects: Any = resources.get("/XObject") if resources is not None else None
                form = xobjects.get(_SLOT) if xobjects is not None else None
                if form is None:
                    raise RenderError("the template has no panel slot on page 1 (render it with a panel height)")
                self.slot = form.objgen[0]
                font_dict: Any = resources.get("/Font")
                self.font_refs = sorted((str(k)[1:], v.objgen[0]) for k, v in (font_dict or {}).items())
                self.bbox = [float(v) for v in form.BBox]
                self.page_size = (float(page.mediabox[2]) - float(page.mediabox[0]),
                                  float(page.mediabox[3]) - float(page.mediabox[1]))
                self.size = int(p.trailer.Size)
                self.root = p.trailer.Root.objgen[0]
                self.info = p.trailer.Info.objgen[0] if "/Info" in p.trailer else 0
                self.id0 = bytes(p.trailer.ID[0]) if "/ID" in p.trailer else hashlib.md5(pdf).digest()
                self.pages = [pg.objgen[0] for pg in p.pages]
                self.page_dicts = [_page_entries(pg.obj) for pg in p.pages]
                self.lang = str(p.Root.get("/Lang", "")) or None
                self.pages_obj = p.Root.Pages.objgen[0]
                self.shared = [n for n in _shared(p) if n != self.slot]
        except pikepdf.PdfError as exc:  # pragma: no cover - the template is leaflet's own
            raise RenderError(f"cannot read the template: {exc}") from None
        self.offsets = _xref_offsets(pdf)
        if len(self.offsets) != self.size:  # pragma: no cover - ReportLab writes one plain xref table
            raise RenderError("the template's cross-reference table is not one plain table")
        ordered = sorted((off, n) for n, off in self.offsets.items() if n)
        xref_at = pdf.rindex(b"\nxref\n") + 1
        self.ends = {n: (ordered[k + 1][0] if k + 1 < len(ordered) else xref_at) for k, (_, n) in enumerate(ordered)}
        self.body_end = xref_at
        self.header_end = ordered[0][0]
        start, end = self.offsets[self.slot], self.ends[self.slot]
        if not pdf.startswith(b"%d 0 obj" % self.slot, start):  # pragma: no cover
            raise RenderError("the template's panel slot is not where its cross-reference table says")
        self._before, self._after = pdf[:start], pdf[end:xref_at]
        self._shift_from = start
        self._slot_len = end - start

    def object(self, n: int) -> bytes:
        """Object ``n`` as written in the template (``n 0 obj … endobj``)."""
        return self.pdf[self.offsets[n]:self.ends[n]]


def _shared(pdf: Any) -> list[int]:
    """The objects the pages use (contents, resources, fonts, forms), not the pages themselves,
    their links, the outline or the metadata: what a merged file needs of a template, by number."""
    pages = {pg.objgen[0] for pg in pdf.pages}
    found: set[int] = set()

    def walk(obj: Any) -> None:
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            n = obj.objgen[0]
            if n in found or n in pages:
                return
            found.add(n)
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for key, value in obj.items():
                if key not in ("/Parent", "/Annots", "/Dest", "/P"):
                    walk(value)
        elif isinstance(obj, pikepdf.Array):
            for value in obj:
                walk(value)

    for pg in pdf.pages:
        for key, value in pg.obj.items():
            if key not in ("/Parent", "/Annots"):
                walk(value)
    return sorted(found)


def _page_entries(page: Any) -> bytes:
    """A page dictionary as PDF syntax (references as ``n 0 R``), without its /Parent and links."""
    kept = pikepdf.Dictionary()
    for key in page.keys():
        if key not in ("/Parent", "/Annots"):
            kept[key] = page[key]
    return bytes(kept.unparse())


def _xref_offsets(pdf: bytes) -> dict[int, int]:
    at = pdf.rindex(b"startxref")
    xref = int(pdf[at + 9:].split()[0])
    head = pdf[xref:xref + 64].split(b"\n")
    if head[0].strip() != b"xref":  # pragma: no cover
        raise RenderError("the template has no plain cross-reference table")
    first, count = (int(v) for v in head[1].split())
    table_at = xref + len(head[0]) + len(head[1]) + 2
    offsets = {}
    for k, m in enumerate(_XREF_ENTRY.finditer(pdf, table_at, table_at + 20 * count + 20)):
        if k >= count:
            break
        if m.group(3) == b"n":
            offsets[first + k] = int(m.group(1))
        else:
            offsets[first + k] = 0
    return offsets


# --- the panel ---------------------------------------------------------------------------------------

class _PanelCanvas(Canvas):
    """A canvas for one panel: text in fonts without a bold file printed bold as the leaflet does."""

    fonts: FontSet | None = None

    def beginText(self, x: float = 0, y: float = 0, direction: str | None = None) -> Any:
        if self.fonts is not None and self.fonts.synthetic_bold:
            return TextObject(self, x, y, direction=direction)
        return super().beginText(x, y, direction)


class Panel:
    """A drawn panel: its content stream, the fonts it names (resource name -> the template's
    object, or the new subset's four objects to write)."""

    def __init__(self, content: bytes, shared: list[tuple[str, int]], new: list[tuple[str, list[bytes]]],
                 lines: int | None = None) -> None:
        self.lines = lines  # the panel's height class: which layout of the leaflet it is stamped into
        self.content = content  # the form's content (uncompressed)
        self.shared = shared  # (resource name, template object number): the leaflet's own subsets
        self.new = new  # (resource name, [font dict, descriptor, font file, ToUnicode] with @n@ refs)


def draw_panel(template: Template, fonts: FontSet, draw: Draw) -> Panel:
    """Draw a panel with ``draw`` (on a canvas the size of page 1) and make its PDF objects.

    The canvas is a document of its own that starts with the template's font subsets as they
    are: a glyph the leaflet's subsets hold is drawn from them, and only the others go into new
    subsets (of the panel's glyphs alone, in the order drawn). So a panel's bytes depend on the
    template and the panel only, never on what was drawn before. Only text, paths and colours may
    be drawn (no images, links or transparency): anything else is a RenderError."""
    fonts.faces  # noqa: B018 - every family of the chain loaded, so claim() sets each one's role
    fonts.claim()
    canv = _PanelCanvas(io.BytesIO(), pagesize=template.page_size, invariant=1, pageCompression=1,
                        initialFontName=fonts.regular)
    canv.fonts = fonts
    doc = canv._doc
    used: list[Any] = []
    try:
        for st in template.font_states:  # the leaflet's subsets, full: new glyphs start a subset
            font = pdfmetrics.getFont(st.font)
            state = TTFont.State(font._asciiReadable)
            state.subsets = [list(sub) for sub in st.subsets]
            state.assignments = dict(st.assignments)
            state.nextCode = 256 * len(st.subsets)
            state.internalName = st.internal
            font.state[doc] = state
            doc.fontMapping[st.font] = "/" + st.internal  # a font new to the panel is named after these
            used.append(font)
        draw(canv)
        if canv._annotationrefs or (getattr(canv, "_extgstate", None) and canv._extgstate._d):
            raise RenderError("the panel draws links or transparency, which a stamped panel cannot hold")
        content = "\n".join(canv._code).encode("latin-1")
        known = {st.font: len(st.subsets) for st in template.font_states}
        new: list[tuple[str, list[bytes]]] = []
        for name in doc.fontMapping:
            font = pdfmetrics.getFont(name)
            if not isinstance(font, TTFont):
                raise RenderError(f"the panel uses font {name}, which is not one of leaflet's embedded fonts")
            if font not in used:
                used.append(font)
            state = font.state.get(doc)
            if state is None:  # pragma: no cover - named, never drawn
                continue
            for n, subset in enumerate(state.subsets[known.get(name, 0):], known.get(name, 0)):
                new.append((f"{state.internalName}+{n}", _font_objects(font, subset)))
    finally:
        for font in used:  # ReportLab keeps a state per document in the font: drop the panel's
            font.state.pop(doc, None)
    return Panel(content, template.font_refs, new)


def _num(v: float) -> bytes:
    if v == int(v):
        return b"%d" % int(v)
    return (b"%.4f" % v).rstrip(b"0").rstrip(b".")


def _stream(dictionary: bytes, data: bytes) -> bytes:
    packed = zlib.compress(data)
    return b"<< %s /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(packed), packed)


def _font_objects(font: TTFont, subset: list[int]) -> list[bytes]:
    """The four objects of one font subset, as ReportLab writes them (TTFont.addObjects), with a
    subset tag of their own: a digest of the subset (so it never shares a name with another
    subset in the file, which viewers may take for the same font). ``@1@``, ``@2@``, ``@3@``
    stand for the numbers of the 2nd, 3rd and 4th objects."""
    face = font.face
    data = face.makeSubset(subset)
    digest = hashlib.sha256(data).digest()
    tag = bytes(65 + b % 26 for b in digest[:6])
    if tag.startswith(b"AAAA"):  # never one of the leaflet's own (ReportLab counts from AAAAAA)
        tag = b"P" + tag[1:]
    base = b"".join((tag, b"+", face.name, face.subfontNameX))
    name = base.decode("pdfdoc")
    widths = b" ".join(_num(face.getCharWidth(c)) for c in subset)
    flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
    font_dict = (b"<< /BaseFont /%s /FirstChar 0 /FontDescriptor @1@ 0 R /LastChar %d /Subtype /TrueType "
                 b"/ToUnicode @3@ 0 R /Type /Font /Widths [ %s ] >>" % (base, len(subset) - 1, widths))
    descriptor = (b"<< /Ascent %s /CapHeight %s /Descent %s /Flags %d /FontBBox [ %s ] /FontFile2 @2@ 0 R "
                  b"/FontName /%s /ItalicAngle %s /MissingWidth %s /StemV %s /Type /FontDescriptor >>" % (
                      _num(face.ascent), _num(face.capHeight), _num(face.descent), flags,
                      b" ".join(_num(v) for v in face.bbox), base, _num(face.italicAngle),
                      _num(face.defaultWidth), _num(face.stemV)))
    font_file = _stream(b"/Length1 %d" % len(data), data)
    cmap = shaping.to_unicode_cmap(font, name, subset) or ttfonts.makeToUnicodeCMap(name, subset)
    return [font_dict, descriptor, font_file, _stream(b"", cmap.encode("latin-1"))]


# --- writing ---------------------------------------------------------------------------------------------

class _Writer:
    """Objects written one after the other into a file, their offsets kept for the xref table."""

    def __init__(self, out: BinaryIO | io.BytesIO, at: int = 0) -> None:
        self.out, self.at = out, at
        self.offsets: dict[int, int] = {}
        self.digest = hashlib.md5()

    def raw(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.at += len(data)

    def obj(self, n: int, body: bytes) -> None:
        self.offsets[n] = self.at
        self.raw(b"%d 0 obj\n%s\nendobj\n" % (n, body))

    def finish(self, size: int, root: int, info: int, id0: bytes) -> None:
        xref_at = self.at
        lines = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
        for n in range(1, size):
            off = self.offsets.get(n)
            lines.append(b"%010d 00000 n \n" % off if off is not None else b"0000000000 00000 f \n")
        id1 = self.digest.digest()
        trailer = b"trailer\n<< /ID [<%s> <%s>] %s/Root %d 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (
            id0.hex().encode(), id1.hex().encode(), b"/Info %d 0 R " % info if info else b"", root, size, xref_at)
        self.out.write(b"".join(lines) + trailer)


def _panel_objects(panel: Panel, template: Template, first: int, base: int = 0) -> tuple[bytes, list[tuple[int, bytes]]]:
    """The slot's new form (its body) and the panel's new font objects numbered from ``first``;
    the template's objects moved by ``base`` (in a merged file)."""
    refs = [b"/%s %d 0 R" % (name.encode("ascii"), number + base) for name, number in panel.shared]
    objects = []
    n = first
    for resource, bodies in panel.new:
        numbers = [n, n + 1, n + 2, n + 3]
        for k, body in enumerate(bodies):
            for j in (1, 2, 3):
                body = body.replace(b"@%d@" % j, b"%d" % numbers[j])
            objects.append((numbers[k], body))
        refs.append(b"/%s %d 0 R" % (resource.encode("ascii"), n))
        n += 4
    bbox = b" ".join(_num(v) for v in template.bbox)
    form = _stream(b"/BBox [ %s ] /FormType 1 /Matrix [ 1 0 0 1 0 0 ] /Resources << /Font << %s >> >> "
                   b"/Subtype /Form /Type /XObject" % (bbox, b" ".join(refs)), panel.content)
    return form, objects


def stamp(template: Template, panel: Panel) -> bytes:
    """The template with ``panel`` in its slot: a complete PDF (see the module's docstring)."""
    out = io.BytesIO()
    w = _Writer(out)
    w.raw(template._before)
    form, objects = _panel_objects(panel, template, template.size)
    start = w.at
    w.obj(template.slot, form)
    delta = w.at - start - template._slot_len
    w.raw(template._after)
    for n, off in template.offsets.items():
        if n and n != template.slot:
            w.offsets[n] = off + (delta if off > template._shift_from else 0)
    for n, body in objects:
        w.obj(n, body)
    w.finish(template.size + len(objects), template.root, template.info, template.id0)
    return out.getvalue()


# --- many leaflets in one PDF ------------------------------------------------------------------------------

def merge(out: BinaryIO, leaflets: Iterable[tuple[Template, Panel] | tuple[Template, Panel, str]], *,
          title: str = "Leaflets") -> int:
    """Write the stamped ``leaflets`` one after the other into ``out`` as one PDF; return the page
    count. Each template's objects are written once (the first time it is used), each leaflet's
    pages and panel after it; memory stays flat however many leaflets there are (only the object
    offsets, the page numbers and the outline's labels are kept). A leaflet given with a label
    (``(template, panel, label)``) has an outline entry of that label pointing to its first page
    (each leaflet's own bookmarks point into its own pages: not carried over); the file opens
    with the outline shown. Its language is the first leaflet's, and its title is ``title``."""
    w = _Writer(out)
    w.raw(b"%PDF-1.4\n%\x93\x8c\x8b\x9e leaflet merged\n")
    bases: dict[bytes, int] = {}  # a template's digest -> the number its objects are shifted by
    catalog, pages_root, info = 1, 2, 3
    nxt = 4
    kids: list[int] = []
    marks: list[tuple[bytes, int]] = []  # the outline: (label, first page's object)
    lang: str | None = None
    meta = b""
    for item in leaflets:
        template, panel = item[0], item[1]
        if lang is None:
            lang = template.lang
            meta = template.object(template.info) if template.info else b""
        base = bases.get(template.digest)  # by its bytes: a layout made again is the same template
        if base is None:
            base = bases[template.digest] = nxt - 1
            nxt += template.size - 1
            retag = _retagger(template.digest)
            for n in template.shared:
                w.obj(n + base, retag(_renumber(_body(template.object(n)), base)))
        form, objects = _panel_objects(panel, template, nxt + len(template.pages) + 1, base)
        slot = nxt
        w.obj(slot, form)
        if len(item) > 2:  # its bookmark: to its first page
            marks.append((pikepdf.String(item[2]).unparse(), slot + 1))
        for k, entries in enumerate(template.page_dicts):
            page = nxt + 1 + k
            kids.append(page)
            body = _renumber(entries, base)
            if k == 0:
                body = body.replace(b"%s %d 0 R" % (_SLOT.encode(), template.slot + base),
                                    b"%s %d 0 R" % (_SLOT.encode(), slot))
            # links point into the template's own pages: not carried over
            w.obj(page, body[:-2].rstrip() + b" /Parent %d 0 R >>" % pages_root)
        nxt += len(template.pages) + 1
        for n, body in objects:
            w.obj(n, body)
        nxt += len(objects)
    outline = b""
    if marks:
        root, first = nxt, nxt + 1
        for k, (label, page) in enumerate(marks):
            links = b"".join([b" /Prev %d 0 R" % (first + k - 1) if k else b"",
                              b" /Next %d 0 R" % (first + k + 1) if k + 1 < len(marks) else b""])
            w.obj(first + k, b"<< /Title %s /Parent %d 0 R%s /Dest [ %d 0 R /Fit ] >>" % (label, root, links, page))
        w.obj(root, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (
            first, first + len(marks) - 1, len(marks)))
        nxt = first + len(marks)
        outline = b" /Outlines %d 0 R /PageMode /UseOutlines" % root
    w.obj(catalog, b"<< /Pages %d 0 R /Type /Catalog%s%s >>" % (
        pages_root, b" /Lang %s" % pikepdf.String(lang).unparse() if lang else b"", outline))
    w.obj(pages_root, b"<< /Count %d /Kids [ %s ] /Type /Pages >>" % (
        len(kids), b" ".join(b"%d 0 R" % k for k in kids)))
    dates = re.findall(rb"/(?:CreationDate|ModDate) \([^)]*\)", meta)
    w.obj(info, b"<< /Creator (leaflet) /Producer (leaflet) /Title %s %s >>" % (
        pikepdf.String(title).unparse(), b" ".join(dates)))
    w.finish(nxt, catalog, info, hashlib.md5(b"leaflet merged").digest())
    return len(kids)


_TAG = re.compile(rb"/([A-Z]{6})\+")


def _retagger(key: bytes) -> Callable[[bytes], bytes]:
    """Renames the subset tags (``/AAAAAA+``) in objects' dictionaries after ``key`` (a template):
    two templates' subsets of one font (each named AAAAAA+NotoSans-Regular by ReportLab, with other
    glyphs) must not share a name in one file, which viewers and printers may take for one font."""
    def tag(m: re.Match[bytes]) -> bytes:
        digest = hashlib.sha256(key + m.group(1)).digest()
        return b"/" + bytes(65 + b % 26 for b in digest[:6]) + b"+"

    def retag(body: bytes) -> bytes:
        at = body.find(b"stream")
        head, tail = (body[:at], body[at:]) if at >= 0 else (body, b"")
        return _TAG.sub(tag, head) + tail

    return retag


_OBJ_HEAD = re.compile(rb"^\d+ 0 obj\s*")
_REF = re.compile(rb"(\d+) 0 R\b")


def _body(obj: bytes) -> bytes:
    """An object's body: ``n 0 obj`` and ``endobj`` removed."""
    body = _OBJ_HEAD.sub(b"", obj, count=1).rstrip()
    return body[: -len(b"endobj")].rstrip() if body.endswith(b"endobj") else body


def _renumber(body: bytes, base: int) -> bytes:
    """``body`` with every reference ``n 0 R`` in its dictionary (not its stream) moved by ``base``."""
    if not base:
        return body
    at = body.find(b"stream")
    head, tail = (body[:at], body[at:]) if at >= 0 else (body, b"")
    return _REF.sub(lambda m: b"%d 0 R" % (int(m.group(1)) + base), head) + tail
