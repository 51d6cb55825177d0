"""Batches: many personalised leaflets from a sheet of prescriptions, each language laid out once.

    from leaflet.batch import Job, build_job, jobs_from_sheet
    result = build_job(Job(content="content/baclofen/", prescription=rx, output="out/1-en.pdf"))

A batch is a list of independent :class:`~leaflet.personal.batch.Job` values
(:func:`jobs_from_sheet`), and :func:`build_job` builds one in any process: it keeps, per
process, each leaflet's translations and their templates (laid out once, see
:mod:`leaflet.typeset.stamp`), and stamps the prescription's panel into the template. So a
batch fans out on any engine that maps a function over a list (a process pool here, Dask bag or
Ray on a cluster; see the README), with no scheduler of leaflet's own, and every job gives the
same bytes wherever it runs.

:func:`run` is what ``leaflet batch`` does on one machine: it reads the sheet as it goes (memory
flat), skips rows whose output is up to date (a manifest of digests in the output folder),
builds the rest over a pool of processes and reports each bad row (row and column, never the
value), then writes the manifest.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

from . import api
from .errors import ContentError, Diagnostic, LeafletError, UsageError
from .personal.batch import Job, Result
from .personal.model import Prescription

__all__ = ["Job", "Result", "build_job", "build_jobs", "jobs_from_sheet", "output_name", "run"]

MANIFEST = ".leaflet-batch.json"
_FIELD = re.compile(r"\{([a-z_]+)\}")
_UNSAFE = re.compile(r"[^\w.\-+ ]+", re.UNICODE)


# --- per process: the leaflet's documents and templates, made once -------------------------------------------

class _Leaflet(NamedTuple):
    doc: api.Document
    warning: str


_docs: dict[tuple[str, str, str, tuple[str, ...]], _Leaflet] = {}
_templates: dict[tuple[str, str, str, tuple[str, ...], str], api.Template] = {}
_failed_docs: dict[tuple[str, str, str, tuple[str, ...]], tuple[Diagnostic, ...]] = {}


def _default_file(content: str, language: str) -> Path:
    path = Path(content)
    if path.is_dir():
        found = path / f"{language}.yaml"
        if not found.is_file():
            raise UsageError(f"{content} has no {language}.yaml: name the leaflet's default translation with "
                             "--default-language LANG, or give its file instead of the folder")
        return found
    return path


def leaflet_for(job: Job) -> _Leaflet:
    """The document a job's prescription is printed on (its language's translation when the leaflet has
    it, else the default with a warning that holds no patient data); loaded once per process."""
    key = (job.content, job.default_language, job.prescription.language, job.locales)
    found = _docs.get(key)
    if found is None:
        failed = _failed_docs.get(key)
        if failed is not None:  # a translation with problems is read once, its problems given again
            raise ContentError(list(failed))
        try:
            base = (job.content, job.default_language, job.default_language, job.locales)
            default = _docs.get(base)
            if default is None:
                default = _docs[base] = _Leaflet(api.load(_default_file(job.content, job.default_language),
                                                          locales=job.locales), "")
            doc, warning = api.personal_document(default.doc, job.prescription, locales=job.locales)
        except ContentError as exc:
            _failed_docs[key] = tuple(exc.diagnostics)
            raise
        found = _docs[key] = _Leaflet(doc, warning or "")
    return found


_failed_templates: dict[tuple[str, str, str, tuple[str, ...], str], tuple[Diagnostic, ...]] = {}


def template_for(doc: api.Document, paper: str, theme: str, locales: tuple[str, ...], brand: str = "") -> api.Template:
    """The leaflet prepared once per process for its paper, theme and brand (laid out once per panel
    height: :class:`leaflet.api.Template`; here with a panel of the default height, whose digest
    is the outputs' key); one that cannot be (a brand's text its fonts cannot print, content
    that does not fit) is tried once, and its problems given again for every row."""
    key = (str(doc.path), paper, theme, locales, brand)
    found = _templates.get(key)
    if found is None:
        failed = _failed_templates.get(key)
        if failed is not None:
            raise ContentError(list(failed))
        try:
            made = api.template(doc, paper=paper, theme=theme, brand=_brand_for(brand))
            made.layout()  # the default height's layout (job_key), and any problem of the layout, now
            found = _templates[key] = made
        except ContentError as exc:
            _failed_templates[key] = tuple(exc.diagnostics)
            raise
    return found


_brands: dict[str, Any] = {}


def _brand_for(path: str) -> Any:
    """The brand file ``path`` loaded once per process (``""``: no brand)."""
    if not path:
        return None
    found = _brands.get(path)
    if found is None:
        found = _brands[path] = api.load_brand(path)
    return found


def job_key(template: api.Template, job: Job, verified: bool | None = None) -> str:
    """A digest of everything an output is built from: the template's bytes (its layout with a panel
    of the default height: the content, its locale, fonts, theme, paper and leaflet's version all
    show in them; the panel's own height follows from the prescription and the code), the
    prescription and the options (``verified``: as if the job's --verify were that). A digest,
    never the data: the manifest holds no patient data."""
    h = hashlib.sha256()
    h.update(template.pdf.digest)
    h.update(msgspec.msgpack.encode(job.prescription))
    h.update(_code_digest())
    h.update(f"{job.verify if verified is None else verified}\0{job.panel}".encode())
    return h.hexdigest()


_CODE: list[bytes] = []


def _code_digest() -> bytes:
    """A digest of the code that draws and stamps panels: a new version of leaflet builds again."""
    if not _CODE:
        here = Path(__file__).resolve().parent
        h = hashlib.sha256()
        for part in ("typeset/panel.py", "typeset/stamp.py", "text/panel.py", "batch.py"):
            try:
                h.update((here / part).read_bytes())
            except OSError:  # pragma: no cover - an installed package always has them
                h.update(part.encode())
        _CODE.append(h.digest())
    return _CODE[0]


def _file_digest(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return ""


# --- one job ---------------------------------------------------------------------------------------------------

def build_job(job: Job) -> Result:
    """Build one personalised leaflet: stamp the job's prescription into its leaflet's template (in
    the prescription's language when there is that translation), optionally verify it, and write it
    to ``job.output`` (atomically; ``""``: return the bytes). Never raises for a problem of the job:
    the Result says what went wrong (the row's field names, never their values)."""
    where = f"{job.source}: row {job.row}" if job.source else f"row {job.row}"
    language = ""
    try:
        chosen = leaflet_for(job)
        doc = chosen.doc
        language = doc.leaflet.language
        template = template_for(doc, job.paper, job.theme, job.locales, job.brand)
        key = job_key(template, job)
        previous, _, digest = job.previous.partition(":")
        # an output built and verified is up to date for a run without --verify too (and keeps its key:
        # a later run with --verify need not build it again); one built without is built again to verify it
        current = previous == key or (not job.verify and previous == job_key(template, job, verified=True))
        if job.output and current and digest and _file_digest(job.output) == digest:
            return Result(row=job.row, status="skipped", output=job.output, language=language, key=previous,
                          digest=digest, warning=chosen.warning)
        if job.panel:
            panel = api.stamp_panel(template, job.prescription, rx_file=job.source)
            pdf = api.stamp_with(template, panel) if job.verify else b""
        else:
            panel = None
            pdf = api.stamp_personalised(template, job.prescription, rx_file=job.source)
        if job.verify:
            problems = api.verify(doc, pdf, job.prescription, brand=_brand_for(job.brand))
            if problems:
                return Result(row=job.row, status="failed", output=job.output, language=language, key=key,
                              error=f"{where}: the stamped PDF does not pass verify ({len(problems)} problems): "
                                    "this is a bug in leaflet; please report it")
        if panel is not None:
            return Result(row=job.row, status="built", language=language, key=key, warning=chosen.warning,
                          panel=pickle.dumps(panel, protocol=pickle.HIGHEST_PROTOCOL))
        digest = hashlib.sha256(pdf).hexdigest()
        if not job.output:
            return Result(row=job.row, status="built", language=language, key=key, digest=digest, pdf=pdf,
                          warning=chosen.warning)
        # no fsync per file (some 10 ms each on a disk): leaflet batch syncs once, before the manifest
        # records the outputs (a file cut short by a crash has the wrong digest and is built again)
        api.write_atomic(job.output, pdf, sync=False, clean=False)
        return Result(row=job.row, status="written", output=job.output, language=language, key=key, digest=digest,
                      warning=chosen.warning)
    except ContentError as exc:
        return Result(row=job.row, status="failed", output=job.output, language=language,
                      problems=tuple(_at_row(d, job) for d in exc.diagnostics))
    except LeafletError as exc:  # an output that cannot be written, a missing leaflet: said as it is
        return Result(row=job.row, status="failed", output=job.output, language=language, error=f"{where}: {exc}")


def _at_row(d: Diagnostic, job: Job) -> Diagnostic:
    """A prescription's problem placed at its row of the sheet (a content file's keeps its place),
    its field kept, as the sheet's own problems have it: ``row 4, column patient: error[glyph]:
    patient: …`` whether it is found as the row is read or as it is built."""
    if d.path[:1] and d.path[0] in Prescription.__struct_fields__ and job.source and not d.line:
        where = f"row {job.row}, column {d.path[0]}"
        return msgspec.structs.replace(d, file=job.source, where=where)
    return d


def build_jobs(jobs: list[Job]) -> list[Result]:
    """:func:`build_job` for each job, in order (a chunk of a batch, for a process pool)."""
    return [build_job(job) for job in jobs]


# --- a batch from a sheet ------------------------------------------------------------------------------------

def output_name(pattern: str, row: int, language: str, rx: Prescription) -> str:
    """The file name for a row: ``pattern`` with ``{row}``, ``{language}`` and the prescription's fields
    (``{rx_number}``, ``{patient}`` …) filled in; characters that have no place in a file name are
    replaced by ``_``. The default pattern holds no patient data."""
    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "row":
            return f"{row:05d}"
        if name == "language":
            return language
        if name not in Prescription.__struct_fields__:
            raise UsageError(f"--name {pattern!r}: {{{name}}} is not a prescription field; use {{row}}, {{language}} "
                             f"or one of {', '.join(Prescription.__struct_fields__)}")
        text = getattr(rx, name)
        return _UNSAFE.sub("_", str(text if text is not None else "")).strip(" .") or "_"

    name = _FIELD.sub(value, pattern)
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    if "/" in name or "\\" in name or name.startswith("."):  # pragma: no cover - _UNSAFE removes them
        raise UsageError(f"--name {pattern!r} does not give a plain file name")
    return name


def check_pattern(pattern: str) -> None:
    """A name pattern's fields are known (raises UsageError, before any row is read)."""
    for name in _FIELD.findall(pattern):
        if name not in ("row", "language") and name not in Prescription.__struct_fields__:
            raise UsageError(f"--name {pattern!r}: {{{name}}} is not a prescription field; use {{row}}, {{language}} "
                             f"or one of {', '.join(Prescription.__struct_fields__)}")
    rest = _FIELD.sub("", pattern)
    if "/" in rest or "\\" in rest or pattern.startswith("."):
        raise UsageError(f"--name {pattern!r}: a name pattern names a file in the output folder, not a path")


class Bad(NamedTuple):
    """A row of the sheet that holds no prescription: its problems (row and column, never the value)."""

    row: int
    problems: tuple[Diagnostic, ...]


def jobs_from_sheet(content: str, sheet: str, out: str, *, pattern: str = "{row}-{language}", paper: str = "a4",
                    theme: str = "default", locales: tuple[str, ...] = (), default_language: str = "en",
                    verify: bool = False, manifest: dict[str, str] | None = None,
                    panel: bool = False, brand: str = "") -> Iterator[Job | Bad]:
    """The jobs of a sheet, one per row, read as they are needed (memory flat); a row with problems
    is a :class:`Bad`. Raises ContentError for a sheet that cannot be read at all (its header). A
    sheet that cannot be read on from some row (a CSV quote that does not close) ends with a Bad for
    that row: the rows before it are jobs whatever the number of workers building them."""
    from .personal.sheet import read_rows

    check_pattern(pattern)
    _default_file(content, default_language)  # a folder without the default: said before any row is read
    names: dict[str, int] = {}  # output name -> the first row that has it (memory: a name a row)
    rows = read_rows(sheet)  # the file and its header: a ContentError here is the whole sheet's
    last = 1
    while True:
        try:
            r = next(rows)
        except StopIteration:
            return
        except ContentError as exc:  # the reader cannot go on from here: the rows before it still count
            yield Bad(last + 1, tuple(exc.diagnostics))
            return
        last = r.row
        if r.prescription is None:  # its texts no font prints too, with the leaflet's fonts: every problem at once
            yield Bad(r.row, tuple(_with_glyphs(r, content, default_language, locales)))
            continue
        job = Job(content=content, prescription=r.prescription, row=r.row, source=str(sheet), paper=paper,
                  theme=theme, locales=locales, default_language=default_language, verify=verify, panel=panel, brand=brand)
        try:
            language = leaflet_for(job).doc.leaflet.language
        except ContentError as exc:  # the translation for this row has problems: the row is not built
            yield Bad(r.row, tuple(exc.diagnostics))
            continue
        name = output_name(pattern, r.row, language, r.prescription)
        first = names.setdefault(name, r.row)
        if first != r.row:  # never write over another row's leaflet (the name is not shown: it may hold data)
            yield Bad(r.row, (Diagnostic(
                f"this row's output would have the same file name as row {first}'s", (),
                "give --name a field that differs from row to row, such as {row} or {rx_number}",
                file=str(sheet), where=f"row {r.row}", code="sheet"),))
            continue
        output = os.path.join(out, name)
        yield msgspec.structs.replace(job, output=output, previous=(manifest or {}).get(name, ""))


def _with_glyphs(r: Any, content: str, default_language: str, locales: tuple[str, ...]) -> list[Diagnostic]:
    """A sheet row's problems and, with the leaflet's default translation (as a row without other
    problems is checked with its own), those of its texts no bundled font prints."""
    if not r.texts:
        return list(r.diagnostics)
    key = (content, default_language, default_language, locales)
    found = _docs.get(key)
    if found is None:
        try:
            found = _docs[key] = _Leaflet(api.load(_default_file(content, default_language), locales=locales), "")
        except (ContentError, UsageError):  # the leaflet's own problems are reported for the rows it prints
            return list(r.diagnostics)
    return api.with_glyph_problems(r.diagnostics, found.doc, r.texts)


def read_manifest(out: str) -> dict[str, str]:
    """The output folder's manifest: file name -> ``key:digest`` (see :func:`job_key`); {} when absent
    or unreadable (everything is built again)."""
    try:
        data = msgspec.json.decode(Path(out, MANIFEST).read_bytes())
    except (OSError, msgspec.DecodeError):
        return {}
    entries = data.get("outputs") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        return {}
    return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, str)}


def write_manifest(out: str, entries: dict[str, str]) -> None:
    """Write the manifest, after every output written so far is on disk."""
    if hasattr(os, "sync"):
        os.sync()
    data = {"about": "leaflet batch: digests of each output's template, prescription "
                                              "and options, and of the PDF; no patient data",
            "outputs": dict(sorted(entries.items()))}
    api.write_atomic(Path(out, MANIFEST), msgspec.json.format(msgspec.json.encode(data), indent=1) + b"\n")


# --- running a batch on this machine --------------------------------------------------------------------------

def _chunks(items: Iterable[Job | Bad], size: int) -> Iterator[list[Job | Bad]]:
    chunk: list[Job | Bad] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _pool_init() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def run(items: Iterable[Job | Bad], *, workers: int = 1, chunk: int = 16,
        on_result: Callable[[Result | Bad], None] = lambda r: None) -> Iterator[Result | Bad]:
    """Build the jobs over ``workers`` processes (1: in this one), yielding each result (and each
    bad row) in the sheet's order. At most a few chunks per worker are in flight: memory stays flat
    however long the batch is."""
    if workers <= 1:
        for item in items:
            result = item if isinstance(item, Bad) else build_job(item)
            on_result(result)
            yield result
        return
    window: deque[tuple[list[Job | Bad], Future[list[Result]]]] = deque()
    with ProcessPoolExecutor(max_workers=workers, initializer=_pool_init) as pool:
        def drain_one() -> Iterator[Result | Bad]:
            part, future = window.popleft()
            built = iter(future.result())
            for item in part:
                result = item if isinstance(item, Bad) else next(built)
                on_result(result)
                yield result

        for part in _chunks(items, chunk):
            jobs = [item for item in part if isinstance(item, Job)]
            window.append((part, pool.submit(build_jobs, jobs)))
            if len(window) >= 3 * workers:
                yield from drain_one()
        while window:
            yield from drain_one()


def outline_label(number: int, row: int, language: str) -> str:
    """A merged PDF's bookmark for a leaflet: ``1 — row 2 — en`` (its place in the file, the
    sheet's row, the language): no field of the prescription."""
    return f"{number} \u2014 row {row} \u2014 {language}"


def merge_results(out_file: str, results: Iterable[tuple[Job, Result]], *, title: str) -> int:
    """Write the panels of ``results`` (jobs built with ``panel=True``) into one PDF, in order; the
    templates are this process's own (the same bytes as the workers', built from the same input).
    Written atomically; returns the page count."""
    import tempfile

    folder = os.path.dirname(os.path.abspath(out_file)) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".merge-", suffix=".leaflet-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            def leaflets() -> Iterator[tuple[Any, Any, str]]:
                for number, (job, result) in enumerate(results, 1):
                    doc = leaflet_for(job).doc
                    template = template_for(doc, job.paper, job.theme, job.locales, job.brand)
                    # its bookmark: the output's number, the sheet's row and the language, never patient data
                    yield template, pickle.loads(result.panel), outline_label(number, job.row, doc.leaflet.language)

            pages = api.merge_panels(fh, leaflets(), title=title)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as any file leaflet writes (mkstemp makes it private)
        os.replace(tmp, out_file)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return pages
