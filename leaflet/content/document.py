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
    pseudo: bool = False  # pseudo-localised (leaflet.i18n.pseudo): its locale's strings are too

    @property
    def path(self) -> str:
        return self.source.file

    @property
    def output_name(self) -> str:
        """``content/baclofen/en.yaml`` -> ``baclofen-en``: ``<leaflet folder>-<language>``
        (``baclofen-en-pseudo`` pseudo-localised)."""
        return output_name(self.path, self.leaflet.language, pseudo=self.pseudo)


PSEUDO_SUFFIX = "-pseudo"  # of a pseudo-localised leaflet's PDF (build --pseudo): baclofen-en-pseudo.pdf


def output_name(path: str, language: str, *, pseudo: bool = False) -> str:
    """The name of the PDF built from the file ``path`` in ``language``, without '.pdf'."""
    folder = Path(path).resolve().parent.name
    name = f"{folder}-{language}" if folder else language
    return name + PSEUDO_SUFFIX if pseudo else name
