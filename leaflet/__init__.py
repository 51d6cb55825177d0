"""leaflet: structured content (YAML) -> printable patient medicine leaflets (PDF).

Public API: :func:`load`, :func:`parse`, :func:`validate`, :func:`check`,
:func:`build`, :func:`build_bytes`, :func:`verify`,
:func:`load_brand`, :func:`pseudo`, :class:`Document`, :class:`ContentError`,
:class:`PdfError`, :class:`Diagnostic`.
"""
import gc as _gc

# Importing leaflet (msgspec, PyYAML, the content model, the resources) makes many long-lived objects and
# no garbage, so the garbage collector is paused meanwhile: otherwise it scans them again and again as they
# are made (see leaflet.api.settle, and README "Benchmark").
_collecting = _gc.isenabled()
_gc.disable()
try:
    from .api import Document, build, build_bytes, check, load, load_brand, parse, pseudo, validate, verify
    from .errors import ContentError, Diagnostic, LeafletError, PdfError
finally:
    if _collecting:
        _gc.enable()

__version__ = "0.1.0"
__all__ = [
           "ContentError",
           "Diagnostic",
           "Document",
           "LeafletError",
           "PdfError",
           "__version__",
           "build",
           "build_bytes",
           "check",
           "load",
           "load_brand",
           "parse",
           "pseudo",
           "validate",
           "verify",
]
