"""leaflet: structured content (YAML) -> printable patient medicine leaflets (PDF).

Public API: :func:`load`, :func:`parse`, :func:`validate`, :func:`check`,
:func:`build`, :func:`build_bytes`, :func:`verify`,
:func:`load_brand`, :func:`pseudo`, :class:`Document`, :class:`ContentError`,
:class:`PdfError`, :class:`Diagnostic`.
"""
from .api import Document, build, build_bytes, check, load, load_brand, parse, pseudo, validate, verify
from .errors import ContentError, Diagnostic, LeafletError, PdfError

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
