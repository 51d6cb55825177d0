"""leaflet: structured content (YAML) -> printable patient medicine leaflets (PDF).

Public API: :func:`load`, :func:`parse`, :func:`validate`, :func:`check`,
:func:`build`, :func:`build_bytes`, :class:`Document`, :class:`ContentError`,
:class:`Diagnostic`.
"""
from .api import Document, build, build_bytes, check, load, parse, validate
from .errors import ContentError, Diagnostic, LeafletError

__version__ = "0.1.0"
__all__ = [
           "ContentError",
           "Diagnostic",
           "Document",
           "LeafletError",
           "__version__",
           "build",
           "build_bytes",
           "check",
           "load",
           "parse",
           "validate",
]
