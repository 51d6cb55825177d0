"""The batch job model: a batch is a list of independent jobs, one per prescription.

A :class:`Job` holds everything one personalised leaflet needs (the leaflet's folder or file,
the validated prescription, where the PDF goes, the options), and nothing shared: it can be
built in any process, on any machine that has the content, in any order
(:func:`leaflet.batch.build_job`), and gives the same bytes. Jobs and results are msgspec
structs: they pickle (process pools, Dask, Ray) and encode as msgpack or JSON.

A :class:`Result` says what became of a job, and holds no patient data: the row, the output's
name (chosen by the user when it has fields in it), the language used, the problems (field
names and row numbers, never values), the PDF's digest and, when the job asked for them
(``output`` empty), the PDF's bytes.
"""
from __future__ import annotations

import msgspec

from ..errors import Diagnostic
from .model import Prescription


class Job(msgspec.Struct, frozen=True, kw_only=True):
    """One personalised leaflet to build."""

    content: str  # the leaflet: a folder of translations (content/baclofen/) or one content file
    prescription: Prescription
    row: int = 0  # where the prescription came from: a sheet's row (for messages)
    source: str = ""  # ... and the sheet's file name
    output: str = ""  # the PDF to write; "" returns its bytes in the Result instead
    default_language: str = "en"  # the folder's translation used when the prescription's is absent
    paper: str = "a4"
    theme: str = "default"
    locales: tuple[str, ...] = ()
    verify: bool = False  # read the PDF back (leaflet verify, panel included) before writing it
    previous: str = ""  # the key this output was last built with (the manifest's): unchanged -> skipped
    panel: bool = False  # return the stamped panel (for leaflet.batch's --merge) instead of a PDF
    brand: str = ""  # a clinic's brand file (build --brand), "" for none


class Result(msgspec.Struct, frozen=True, kw_only=True):
    """What became of a :class:`Job`."""

    row: int
    status: str  # "written", "skipped" (up to date), "built" (bytes in pdf), "failed"
    output: str = ""
    language: str = ""  # the leaflet's language used
    key: str = ""  # digest of what the output is built from (template, prescription, options)
    digest: str = ""  # SHA-256 of the PDF
    problems: tuple[Diagnostic, ...] = ()  # content problems (the row's fields; never their values)
    error: str = ""  # any other failure (an output that cannot be written, a PDF that fails verify)
    warning: str = ""  # e.g. no translation in the prescription's language (no patient data)
    pdf: bytes = b""
    panel: bytes = b""  # pickled stamp.Panel, when the job asked for it

    @property
    def ok(self) -> bool:
        return self.status != "failed"
