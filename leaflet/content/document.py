"""A validated leaflet together with the file it came from."""
from __future__ import annotations

from pathlib import Path

import msgspec

from .loader import Source
from .model import Leaflet


class Document(msgspec.Struct):
    """A validated leaflet and the file it came from (for error positions)."""

    leaflet: Leaflet
    source: Source
    locale_dirs: tuple[str, ...] = ()  # folders searched for its locale before the bundled ones
    from_file: bool = True  # False when parsed from text (standard input): no folder beside it

    @property
    def path(self) -> str:
        return self.source.file

    @property
    def output_name(self) -> str:
        """``content/baclofen/en.yaml`` -> ``baclofen-en``: ``<leaflet folder>-<language>``."""
        return output_name(self.path, self.leaflet.language)


def output_name(path: str, language: str) -> str:
    """The name of the PDF built from the file ``path`` in ``language``, without '.pdf'."""
    folder = Path(path).resolve().parent.name
    return f"{folder}-{language}" if folder else language
