"""The jobs a build process runs (see :mod:`leaflet.service.workers`).

Every answer is a picklable tuple:

- ``("pdf", bytes)``: the PDF;
- ``("diagnostics", [dict, ...])``: content or prescription problems (422), each with ``line``,
  ``column``, ``field``, ``message``, ``hint`` and ``code`` (never the value of a field);
- ``("usage", message)``: a bad option (400);
- ``("error", kind)``: anything else (500): only the kind of error, never its message, which
  could quote a prescription.
"""
from __future__ import annotations

import collections
import os
from collections.abc import Callable
from typing import Any

from .. import api
from ..content.brand import BrandDocument
from ..content.document import Document
from ..errors import ContentError, Diagnostic, LeafletError, UsageError, format_path

REQUEST = "<request>"  # the "file" of what came in a request body

_documents: dict[str, tuple[int, int, Document]] = {}
# the service's brands (id -> brand), checked when it started and handed over as they are (warm)
_brands: dict[str, BrandDocument] = {}


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    """A diagnostic as the service answers it (the form shows ``message`` beside ``field``)."""
    out = {"field": format_path(d.path) if d.path else "", "path": list(d.path), "line": d.line,
           "column": d.column, "message": d.message, "hint": d.hint, "code": d.code}
    where = getattr(d, "where", "")
    if where:  # a FHIR element, for a Bundle
        out["where"] = where
    return out


def document(path: str) -> Document:
    """The library's leaflet ``path``, loaded once while the file is unchanged."""
    info = os.stat(path)
    cached = _documents.get(path)
    if cached and cached[:2] == (info.st_mtime_ns, info.st_size):
        return cached[2]
    doc = api.load(path)
    _documents[path] = (info.st_mtime_ns, info.st_size, doc)
    return doc


def brand(brand_id: str) -> BrandDocument | None:
    """The service's brand ``brand_id`` ("": none)."""
    return _brands[brand_id] if brand_id else None


def build(text: bytes, paper: str, theme: str, max_size: int, brand_id: str = "") -> tuple[Any, ...]:
    """POST /build: content YAML -> PDF (with the brand ``brand_id``, "" for none)."""
    doc = api.parse(text, REQUEST, max_input_size=max_size)
    return ("pdf", api.build_bytes(doc, paper=paper, theme=theme, brand=brand(brand_id)))


def _language_matches(wanted: str, language: str, folder: str) -> bool:
    """Whether the leaflet in ``language`` is the one ``leaflet build --rx`` chooses for a prescription
    in ``wanted`` (:func:`leaflet.api.personal_document`): the same tag, or the tag without its region
    or script (``es`` for ``es-MX``, as FHIR systems send them) when the leaflet's ``folder`` has no
    translation in the whole tag. The tag is a checked language tag (letters, digits, hyphens)."""
    from .library import ANY_CASE_LANGUAGE

    wanted, language = wanted.lower(), language.lower()  # BCP 47 tags are case-insensitive
    if wanted == language:
        return True
    if wanted.split("-")[0] != language or not ANY_CASE_LANGUAGE.fullmatch(wanted):
        return False
    try:  # the folder's listing: its translation in the whole tag, in whatever case its file is named
        return not folder or f"{wanted}.yaml" not in {name.lower() for name in os.listdir(folder)}
    except OSError:
        return True


def prescription(body: bytes, language: str, max_size: int, folder: str = "") -> Any:
    """A prescription from a request's JSON body: a mapping of the prescription's fields, or a FHIR
    R4 Bundle (``resourceType: Bundle``), in ``language`` (or a regional form of it: see
    :func:`_language_matches`; ``folder``: the leaflet's). Read as a JSON prescription file is
    (:func:`leaflet.personal.rxfile.parse`: every problem with its line and column, a Bundle by
    :mod:`leaflet.personal.fhir`): the personal stage's validation, never redone here."""
    from ..personal import rxfile

    rx = rxfile.parse(body, REQUEST, format="json", max_input_size=max_size)
    if not _language_matches(rx.language, language, folder):  # never built in another language than asked
        raise ContentError([Diagnostic(
            "the prescription's language is not the language of the leaflet asked for", ("language",),
            "post it to /leaflets/{leaflet}/{the prescription's language} (GET /leaflets lists the "
            "translations)", REQUEST, code="value")])
    return rx


MAX_TEMPLATES = 32  # laid-out leaflets kept by a build process (a leaflet in one language, paper and theme each)
_templates: collections.OrderedDict[tuple[Any, ...], api.Template] = collections.OrderedDict()


def template(path: str, paper: str, theme: str, brand_id: str = "") -> api.Template:
    """The library's leaflet ``path`` laid out once for ``paper``, ``theme`` and the brand
    ``brand_id`` with its personal panel's rectangle left empty (:func:`leaflet.api.template`),
    while the file is unchanged; the least recently used are dropped past MAX_TEMPLATES."""
    info = os.stat(path)
    key = (path, info.st_mtime_ns, info.st_size, paper, theme, brand_id)
    found = _templates.get(key)
    if found is not None:
        _templates.move_to_end(key)
        return found
    made = api.template(document(path), paper=paper, theme=theme, brand=brand(brand_id))
    _templates[key] = made
    while len(_templates) > MAX_TEMPLATES:
        _templates.popitem(last=False)
    return made


def personalised(path: str, body: bytes, language: str, paper: str, theme: str, max_size: int,
                 brand_id: str = "") -> tuple[Any, ...]:
    """POST /leaflets/{leaflet}/{language}: a prescription (JSON or FHIR) -> personalised PDF: the
    prescription's panel stamped into the leaflet laid out once (:func:`leaflet.api.stamp_personalised`,
    as ``leaflet batch`` does: milliseconds, not a layout per request)."""
    try:
        rx = prescription(body, language, max_size, os.path.dirname(path))
    except ContentError as exc:  # with the leaflet asked for at hand, its fonts' check too: every problem at once
        try:
            doc = document(path)
        except ContentError:
            raise exc from None
        raise ContentError(api.with_glyph_problems(exc, doc)) from None
    return ("pdf", api.stamp_personalised(template(path, paper, theme, brand_id), rx, rx_file=REQUEST))


def warm(setup: Any) -> None:
    """Take the service's brands, and load the fonts and code a first build needs (a second or
    so) before the first request: ``{"brands": {id: BrandDocument}, "leaflet": path or None}``."""
    if not isinstance(setup, dict):
        return
    _brands.clear()
    _brands.update(setup.get("brands") or {})
    path = setup.get("leaflet")
    if not isinstance(path, str):
        return
    try:
        # laid out (with a panel of the default height): fonts and code loaded
        template(path, "a4", "default", next(iter(_brands), "")).layout()
    except Exception:  # noqa: BLE001 - a leaflet with problems is reported when asked for, not here
        pass


JOBS: dict[str, Callable[..., tuple[Any, ...]]] = {"build": build, "personalised": personalised}


def run(name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Run a job; every outcome is an answer (see the module's docstring), never an exception."""
    try:
        return JOBS[name](*args)
    except ContentError as exc:
        return ("diagnostics", [diagnostic_json(d) for d in exc.diagnostics])
    except UsageError as exc:
        return ("usage", str(exc))
    except LeafletError as exc:
        return ("error", type(exc).__name__)
    except Exception as exc:  # noqa: BLE001 - a bug: reported by kind only (its message could hold patient data)
        return ("error", type(exc).__name__)
