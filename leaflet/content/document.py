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

    @property
    def path(self) -> str:
        return self.source.file

    @property
    def output_name(self) -> str:
        """``content/baclofen/en.yaml`` -> ``baclofen-en``: ``<leaflet folder>-<language>``."""
        folder = Path(self.path).resolve().parent.name
        return f"{folder}-{self.leaflet.language}" if folder else self.leaflet.language
