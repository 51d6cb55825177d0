"""The ``leaflet`` command: a thin layer over :mod:`leaflet.api`.

Exit status: 0 all went well; 2 the content has problems (every one is
listed, with file:line:col); 1 anything else (usage, missing files, a PDF
that fails verification, an internal error).
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .api import Signalled, raise_on_signals
from .errors import ContentError, LeafletError, OutputError, PdfError, RenderError, ResourceError, UsageError
from .resources import available_themes

if TYPE_CHECKING:
    from collections.abc import Callable

    from .check.translation import FileReport
    from .content.document import Document
    from .personal.model import Prescription

EXIT_OK, EXIT_FAIL, EXIT_CONTENT = 0, 1, 2
MAX_INPUT_SIZE = 10 * 1024 * 1024  # leaflet.content.loader.MAX_INPUT_SIZE, without importing the loader for --help
PAPERS = ("a4", "letter", "a5")  # leaflet.typeset.render.PAPER, without importing ReportLab for --help


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on bad usage; 2 is reserved for content errors here."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_FAIL, f"{self.prog}: error: {message}\n")


class _Skipped:
    """Stands in for the parser of a command that is not run (see :func:`_parser`): every call
    (add_argument, add_subparsers, add_parser, ...) is taken and does nothing."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self


class _Only:
    """The sub-commands, where only the one named is made (see :func:`_parser`)."""

    def __init__(self, sub: argparse._SubParsersAction, name: str) -> None:
        self.sub, self.name = sub, name

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        return self.sub.add_parser(name, **kwargs) if name == self.name else _Skipped()


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line. ``only``: the command that will run (the first argument, when it names
    one): the other commands' parsers are not made, as making every one costs a build about 5%
    of its start-up (argparse and gettext, for help that is not shown); ``leaflet COMMAND --help``
    and its errors are the same either way, and ``leaflet --help`` makes them all."""
    parser = _Parser(
        prog="leaflet",
        description="Turn patient medicine leaflet content (YAML) into printable PDF leaflets.",
        epilog="Exit status: 0 ok, 2 content errors, 1 anything else. "
               "Example: leaflet build content/baclofen/en.yaml",
    )
    parser.add_argument("--version", action="version", version=f"leaflet {__version__}")
    sub: Any = parser.add_subparsers(dest="command", metavar="COMMAND")
    if only is not None:
        sub = _Only(sub, only)

    build = sub.add_parser(
        "build", help="build PDF leaflets from content files",
        description="Validate each content file and write one PDF per file. Without -o, "
                    "content/<leaflet>/<lang>.yaml is written to output/<leaflet>-<lang>.pdf.")
    build.add_argument("inputs", nargs="+", metavar="CONTENT.yaml",
                       help="leaflet content file(s); - reads one from standard input (then -o is required)")
    build.add_argument("-o", "--output", metavar="FILE.pdf|DIR/",
                       help="the PDF to write (one input), or a folder to write into (ends with / or exists); "
                            "default: output/")
    build.add_argument("--paper", choices=PAPERS, default="a4", help="paper size (default: a4)")
    build.add_argument("--brand", metavar="BRAND.yaml",
                       help="a clinic's brand file (name, logo, accent colour, contact lines, website), printed "
                            "above the title and in the footer of every page")
    build.add_argument("--pseudo", action="store_true",
                       help="build a pseudo-localised layout test instead: every text accented and about 35%% "
                            "longer, with bidi marks (numbers, doses, addresses and markup kept), a banner on every "
                            "page; written as <leaflet>-<language>-pseudo.pdf")
    build.add_argument("--theme", default="default",
                       help=f"{' or '.join(available_themes())}, or the path of a theme file ending in .json "
                            "(default: default; large-print is 16 pt)")
    build.add_argument("--rx", metavar="RX.yaml|RX.json|-",
                       help="personalise the leaflet with this prescription (YAML or JSON; - reads it from standard "
                            "input): a panel at the top of page 1, in the prescription's language when the leaflet's "
                            "folder has that translation; written as <leaflet>-<language>-personal.pdf without -o")

    validate = sub.add_parser(
        "validate", help="check content files (and a prescription or brand file) without building",
        description="Check content files, a prescription file (--rx) and a brand file (--brand) and report every "
                    "problem found, with the rules build uses. With a leaflet, --rx is checked against it as build "
                    "--rx would use it (the translation in the prescription's language, its fonts), --brand too. "
                    "Exit status: 0 no problems, 2 problems found, 1 anything else.")
    validate.add_argument("inputs", nargs="*", metavar="CONTENT.yaml", help="content file(s); - for standard input")
    validate.add_argument("--rx", metavar="RX.yaml|RX.json|-",
                          help="a prescription file (YAML, JSON or a FHIR R4 Bundle, as for build --rx; - reads it "
                               "from standard input)")
    validate.add_argument("--brand", metavar="BRAND.yaml",
                          help="a brand file (as for build --brand): its format, logo and colours; with a leaflet, "
                               "that its fonts print its texts")
    validate.add_argument("--paper", choices=PAPERS, default="a4",
                          help="as for build (default: a4): with a leaflet and --rx, the personal panel is measured "
                               "on this paper, as build --rx measures it")
    validate.add_argument("--theme", default="default",
                          help="as for build (default: default; large-print is 16 pt): the theme --rx's panel is "
                               "measured in and --brand's colours are checked against")

    verify = sub.add_parser("verify", help="check that a PDF prints its content: all of it, in order, visibly",
                            description="Read a built PDF back and check that it prints every text of the content "
                                        "in reading order, each in its place, where a reader can see it (on the "
                                        "page, not invisible, at least 9 pt, enough contrast), and nothing else; "
                                        "and that every page carries its header and footer. Exit status: 0 it "
                                        "does, 1 it does not or the PDF cannot be read, 2 the content has "
                                        "problems.")
    verify.add_argument("content", metavar="CONTENT.yaml")
    verify.add_argument("pdf", metavar="LEAFLET.pdf")
    verify.add_argument("--pseudo", action="store_true",
                        help="the PDF is the pseudo-localised build of the content (leaflet build --pseudo)")
    verify.add_argument("--brand", metavar="BRAND.yaml",
                        help="the brand file the PDF was built with (build --brand): its texts are checked too")
    verify.add_argument("--rx", metavar="RX.yaml|RX.json|-",
                        help="the PDF is the content personalised with this prescription (build --rx): its panel "
                             "is checked too (in the translation build --rx chose)")
    check = sub.add_parser(
        "check", help="check translations against their source: structure, numbers, untranslated text, staleness",
        description="Compare each translated leaflet (a file with a 'translation:' block) with the file its "
                    "translation.source names: the same structure, every number, dose and unit the same (read as "
                    "each language writes them), no known false friends, no text left untranslated, and a source "
                    "unchanged since the translation's fingerprint. A folder checks every *.yaml in it. Exit "
                    "status: 0 everything agrees, 2 problems found (each with file:line:col), 1 usage errors.")
    check.add_argument("inputs", nargs="+", metavar="DIR|CONTENT.yaml", help="leaflet folders or files")
    check.add_argument("--json", action="store_true",
                       help="print the result as JSON on standard output (for tools; shape in the README)")
    check.add_argument("--stamp", action="store_true",
                       help="record in each translation the fingerprint of its source (translation.fingerprint) "
                            "when it agrees with it otherwise")
    for command in (build, validate, verify, check):
        command.add_argument(
            "--max-input-size", type=input_size, default=MAX_INPUT_SIZE, metavar="SIZE",
            help="refuse content files (and standard input) larger than SIZE: bytes, or with K, M or G "
                 "(units of 1024), e.g. 500K, 50M (default: 10M)")
        command.add_argument("--locales", metavar="DIR", action="append", default=[],
                             help="a folder of locale files (<language>.json), searched before locales/ beside "
                                  "the content and the bundled locales; may be repeated")

    schema = sub.add_parser("schema", help="print the JSON Schema of the content format (or of prescription or "
                                           "brand files)",
                            description="Print the JSON Schema of leaflet content files (for editors); with --rx, "
                                        "that of prescription files (build --rx); with --brand, that of brand "
                                        "files (build --brand).")
    which = schema.add_mutually_exclusive_group()  # one schema a run: --rx with --brand is an error
    which.add_argument("--rx", action="store_true",
                       help="the schema of prescription files (rx.yaml, rx.json) instead")
    which.add_argument("--brand", action="store_true",
                       help="the schema of brand files (build --brand) instead")
    schema.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    locale = sub.add_parser(
        "locale", help="print a locale file (a template for a translation), or list the locales",
        description="Print the locale file leaflet uses for LANGUAGE, as it is (e.g. 'leaflet locale en > fr.json' "
                    "as the start of a French locale); without LANGUAGE, list the locales leaflet finds.")
    locale.add_argument("language", nargs="?", metavar="LANGUAGE", help="a language tag, e.g. en or pt-BR")
    locale.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    locale.add_argument("--locales", metavar="DIR", action="append", default=[],
                        help="a folder of locale files (<language>.json), searched before the bundled locales; "
                             "may be repeated")
    _xliff_parser(sub)
    _batch_parser(sub)
    _serve_parser(sub)
    return parser


def _batch_parser(sub: argparse._SubParsersAction) -> None:
    batch = sub.add_parser(
        "batch", help="build a personalised leaflet for every prescription of a sheet (CSV or Excel)",
        description="Lay each language of the leaflet out once, then stamp every prescription of the sheet (CSV or "
                    "Excel, one prescription a row) into it: one PDF per row in the output folder, or with --merge "
                    "one PDF of them all. A row with problems is reported (row and column, never the value) and "
                    "skipped; outputs that are up to date are not built again. Exit status: 0 every row built, 2 "
                    "some rows have problems, 1 anything else (an output that cannot be written, usage).")
    batch.add_argument("content", metavar="LEAFLET", help="the leaflet's folder (content/baclofen/), or one content file")
    batch.add_argument("sheet", metavar="SHEET", help="the prescriptions: a .csv or .xlsx file with a header row")
    batch.add_argument("-o", "--output", metavar="DIR/", required=True, help="the folder to write the PDFs into")
    batch.add_argument("--merge", nargs="?", const="leaflets.pdf", metavar="FILE.pdf",
                       help="write one print-ready PDF of every leaflet, in the sheet's order, instead of one per row "
                            "(default name: leaflets.pdf in the output folder)")
    batch.add_argument("--name", default="{row}-{language}", metavar="PATTERN",
                       help="the PDFs' file names: {row} (5 digits), {language} and prescription fields such as "
                            "{rx_number}; default {row}-{language} (no patient data)")
    batch.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                       help="worker processes (default: one per CPU core)")
    batch.add_argument("--paper", choices=PAPERS, default="a4", help="paper size (default: a4)")
    batch.add_argument("--theme", default="default", help="as for build (default: default)")
    batch.add_argument("--brand", metavar="BRAND.yaml",
                       help="a clinic's brand file, as for build: printed on every leaflet, its panel in its colours")
    batch.add_argument("--default-language", default="en", metavar="LANG",
                       help="the leaflet's translation used when a prescription's language has none (default: en)")
    batch.add_argument("--verify", action="store_true",
                       help="read every PDF back before writing it (as leaflet verify --rx does; slower)")
    batch.add_argument("--force", action="store_true", help="build every row, even outputs that are up to date")
    batch.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    batch.add_argument("--locales", metavar="DIR", action="append", default=[],
                       help="a folder of locale files, as for build; may be repeated")



def _serve_parser(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser(
        "serve", help="run the HTTP service: personalised and built PDFs, and a web form",
        description="Serve the leaflets of a library folder over HTTP (README: 'The service'): GET /health, "
                    "GET /leaflets, POST /leaflets/{leaflet}/{language} (a prescription as JSON or a FHIR Bundle "
                    "-> PDF), POST /build (content YAML -> PDF, or 422 with the problems), GET / (a web form). "
                    f"Listening beyond this machine needs a token: ${'LEAFLET_SERVE_TOKEN'} or --token-file.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for every "
                            "interface, which needs a token)")
    serve.add_argument("--port", type=_port, default=8000, help="the port (default: 8000; 0 picks a free one)")
    serve.add_argument("--library", default="content", metavar="DIR",
                       help="the folder of leaflets, <leaflet>/<language>.yaml (default: content)")
    serve.add_argument("--token-file", metavar="FILE",
                       help="a file holding the token clients must send (Authorization: Bearer TOKEN); "
                            "or set LEAFLET_SERVE_TOKEN")
    serve.add_argument("--max-body", type=input_size, default=1 << 20, metavar="SIZE",
                       help="the largest request body accepted, as for --max-input-size (default: 1M)")
    serve.add_argument("--timeout", type=_seconds, default=60.0, metavar="SECONDS",
                       help="the longest a request's body may take to arrive, and its build to run (waiting for a "
                            "build process is not counted; default: 60)")
    serve.add_argument("--workers", type=_count, default=None, metavar="N",
                       help="build processes, each building one PDF at a time (default: one per CPU)")
    serve.add_argument("--max-queue", type=_count, default=1000, metavar="N",
                       help="requests that may wait for a build process; beyond, 503 at once (default: 1000)")
    serve.add_argument("--brand", metavar="[ID=]BRAND.yaml", action="append", default=[],
                       help="a clinic's or pharmacy's brand file, printed on every leaflet served (checked at start: "
                            "a problem stops the service); repeated, each with an ID, a request chooses one with "
                            "?brand=ID (default: the first)")


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value > 86400:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds (more than 0, at most 86400)")
    return value


def _count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 10000:
        raise argparse.ArgumentTypeError(f"'{text}' is not a count (1 to 10000)")
    return int(text)


def _xliff_parser(sub: argparse._SubParsersAction) -> None:
    xliff = sub.add_parser(
        "xliff", help="export a leaflet for translation in a CAT tool (XLIFF 1.2), and import the translation",
        description="XLIFF 1.2 for CAT tools (Trados, memoQ, Phrase, Weblate, OmegaT): 'export' writes the texts of a "
                    "leaflet for translation, 'import' rebuilds the translated leaflet from the translated file.")
    actions = xliff.add_subparsers(dest="action", metavar="ACTION")
    export = actions.add_parser(
        "export", help="write an XLIFF 1.2 file to translate a leaflet into another language",
        description="Write an XLIFF 1.2 file with one trans-unit per text of SOURCE.yaml. Where a translation "
                    "LANG.yaml is beside the source (or given with --translation), its texts fill in the targets.")
    export.add_argument("source", metavar="SOURCE.yaml", help="the leaflet to translate")
    export.add_argument("--to", required=True, metavar="LANG", dest="language",
                        help="the language to translate into (a BCP 47 tag, e.g. es, pt-BR)")
    export.add_argument("-o", "--output", metavar="FILE.xlf",
                        help="the XLIFF file to write, or - for standard output "
                             "(default: output/<leaflet>-<source language>-<LANG>.xlf)")
    export.add_argument("--translation", metavar="LANG.yaml",
                        help="the existing translation to fill the targets from (default: LANG.yaml beside the source, "
                             "if there is one)")
    export.add_argument("--no-translation", action="store_true",
                        help="leave every target empty, even where a translation exists")
    imp = actions.add_parser(
        "import", help="rebuild a translated leaflet from a translated XLIFF file",
        description="Rebuild the translated leaflet from FILE.xlf: the structure from the source (kept in the XLIFF "
                    "file, or --source), the texts from the targets; then check it against the source as "
                    "'leaflet check' does. Exit status: 0 written, 2 problems (nothing is written), 1 anything else.")
    imp.add_argument("xlf", metavar="FILE.xlf", help="the translated XLIFF 1.2 file")
    imp.add_argument("-o", "--output", metavar="LANG.yaml",
                     help="the leaflet file to write (default: standard output); beside its source, as "
                          "content/<leaflet>/<LANG>.yaml")
    imp.add_argument("--source", metavar="SOURCE.yaml",
                     help="take the structure from this source file instead of the copy kept in the XLIFF file")
    imp.add_argument("--no-check", action="store_true",
                     help="write the translation without comparing it with its source (leaflet check still will)")
    for command in (export, imp):
        command.add_argument("--max-input-size", type=input_size, default=MAX_INPUT_SIZE, metavar="SIZE",
                             help="refuse content files larger than SIZE (default: 10M; XLIFF files may be "
                                  "six times as large)")
        command.add_argument("--locales", metavar="DIR", action="append", default=[],
                             help="a folder of locale files, as for build; may be repeated")


SIZE_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def input_size(text: str) -> int:
    """``--max-input-size``: bytes, or with a unit K, M or G (of 1024): 500K, 10M, 1G."""
    m = re.fullmatch(r"\s*(\d+)\s*([kmg]?)i?b?\s*", text, re.IGNORECASE)
    if not m or int(m.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size: write e.g. 500K, 10M or 1G")
    return int(m.group(1)) * SIZE_UNITS[m.group(2).lower()]


def _read_stdin(limit: int) -> str | bytes:
    """Standard input, at most ``limit`` + 1 bytes (the loader reports a larger input)."""
    stream = sys.stdin
    if stream is None:
        raise UsageError("standard input is closed: there is no leaflet to read for '-'")
    from .content.loader import read_limited

    try:
        return read_limited(getattr(stream, "buffer", stream), limit)  # bytes; text from a Python caller's stream
    except ValueError:  # the stream was closed
        raise UsageError("standard input is closed: there is no leaflet to read for '-'") from None
    except OSError as exc:
        raise UsageError(f"cannot read standard input: {exc.strerror or exc}") from None


def _load(name: str, args: argparse.Namespace) -> Document:
    from .api import load, parse

    if name == "-":
        return parse(_read_stdin(args.max_input_size), "<stdin>", max_input_size=args.max_input_size,
                     locales=args.locales)
    return load(name, max_input_size=args.max_input_size, locales=args.locales)


def _check_inputs(inputs: Sequence[str]) -> None:
    if list(inputs).count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")


def _folder_output(output: str | None) -> bool:
    return output is not None and (output.endswith(("/", "\\")) or Path(output).is_dir())


def _target(output: str | None, name: str) -> Path:
    """Where the PDF named ``name`` (``<leaflet>-<language>``) goes."""
    if output is None:
        return Path("output") / f"{name}.pdf"
    if _folder_output(output):
        return Path(output) / f"{name}.pdf"
    return Path(output)


def _planned_targets(args: argparse.Namespace) -> list[Path | None]:
    """A cheap first pass over several inputs: the PDF each would write (None when the file
    does not even parse: it is reported, and not built, later), so that two inputs writing
    the same file are refused before anything is written. Nothing stays in memory."""
    from .content.document import output_name
    from .content.loader import load as read_yaml

    planned: list[Path | None] = []
    seen: dict[Path, str] = {}
    for name in args.inputs:
        try:
            data = read_yaml(name, max_input_size=args.max_input_size).data
        except ContentError:
            planned.append(None)
            continue
        language = data.get("language")
        if not isinstance(language, str):
            planned.append(None)
            continue
        target = _target(args.output, output_name(name, language, pseudo=args.pseudo))
        key = target.resolve()
        if key in seen:
            raise UsageError(f"{seen[key]} and {name} would both write {target}; "
                             "build them separately with -o, or keep one leaflet per folder and language")
        seen[key] = name
        planned.append(target)
        del data
    return planned


def _report(errors: list[ContentError]) -> None:
    for exc in errors:
        for d in exc.diagnostics:
            print(d, file=sys.stderr)
    total = sum(len(e.diagnostics) for e in errors)
    files = max(len(errors), len({d.file for e in errors for d in e.diagnostics}))  # one error may span files
    print(f"{total} problem{'s' if total != 1 else ''} in {files} file{'s' if files != 1 else ''}", file=sys.stderr)


def _finish(errors: list[ContentError], status: int) -> int:
    """Report content errors (all files together) and choose the exit status."""
    if errors:
        _report(errors)
        return EXIT_CONTENT
    return status


def _prescription(args: argparse.Namespace, language: str | None = None) -> Prescription:
    """The prescription of --rx: a file, or standard input ('-'). Its problems are a ContentError
    naming file, line, column and field, never a value. ``language``: the leaflet's, when it is not
    the prescription's (a FHIR Bundle's country codes are named in it)."""
    from .personal import rxfile

    if language is not None:  # read again (the file, or standard input as it was read)
        text = getattr(args, "rx_text", None)
        return rxfile.parse(text, "<stdin>", language=language) if text is not None else rxfile.load(
            args.rx, language=language)
    if args.rx == "-":
        if "-" in getattr(args, "inputs", [getattr(args, "content", "")]) or getattr(args, "content", "") == "-":
            raise UsageError("standard input ('-') can be read only once: give the content or the prescription "
                             "as a file")
        args.rx_text = _read_stdin(rxfile.MAX_RX_SIZE)
        return rxfile.parse(args.rx_text, "<stdin>")
    if not args.rx.strip():
        raise UsageError("--rx needs a prescription file (rx.yaml, rx.json) or - for standard input")
    return rxfile.load(args.rx)


def _rx_placed(args: argparse.Namespace, exc: ContentError) -> ContentError:
    """The panel's problems with the prescription (a text too long, a character the fonts cannot
    print) at their field's line and column in the --rx file, as its own problems are."""
    from .content.loader import read
    from .personal import rxfile

    file = "<stdin>" if args.rx == "-" else args.rx
    text = getattr(args, "rx_text", None)
    if text is None:
        try:
            text = read(args.rx, rxfile.MAX_RX_SIZE)
        except (ContentError, OSError):
            return exc
    return ContentError(rxfile.place(list(exc.diagnostics), text, file))


def _personal(args: argparse.Namespace, name: str) -> tuple[Document, Prescription]:
    """--rx: the prescription, and the leaflet in its language (a warning when there is none)."""
    from .api import personal_document, with_glyph_problems

    try:
        rx = _prescription(args)
    except ContentError as exc:  # with the leaflet at hand, its fonts' check too: every problem at once
        try:
            doc = _load(name, args)
        except (ContentError, UsageError):
            raise exc from None
        raise ContentError(with_glyph_problems(exc, doc)) from None
    doc, warning = personal_document(_load(name, args), rx, max_input_size=args.max_input_size,
                                     locales=args.locales)
    if warning:
        print(f"leaflet: warning: {warning}", file=sys.stderr)
        rx = _prescription(args, doc.leaflet.language)  # the panel is in the leaflet's language
    return doc, rx


def cmd_build_personal(args: argparse.Namespace) -> int:
    """build --rx: one personalised leaflet."""
    from .api import build_personalised, personal_output_name, write_atomic

    inputs, output = args.inputs, args.output
    if len(inputs) != 1:
        raise UsageError(f"--rx personalises one leaflet, but {len(inputs)} inputs were given")
    if args.pseudo:
        raise UsageError("--rx and --pseudo cannot be given together")
    if "-" in inputs and (output is None or _folder_output(output)):
        raise UsageError("a leaflet read from standard input needs -o FILE.pdf")
    if output is not None and not _folder_output(output) and not output.lower().endswith(".pdf"):
        raise UsageError(f"-o {output}: the output file should end with .pdf (or end with / for a folder)")
    brand = _brand(args)
    doc, rx = _personal(args, inputs[0])
    try:
        pdf = build_personalised(doc, rx, paper=args.paper, theme=args.theme, brand=brand,
                                 rx_file="<stdin>" if args.rx == "-" else args.rx)
    except ContentError as exc:
        raise _rx_placed(args, exc) from None
    target = _target(output, personal_output_name(doc))
    write_atomic(target, pdf)
    print(f"wrote {target}")
    return EXIT_OK


def _brand(args: argparse.Namespace) -> Any:
    """--brand: the brand file, loaded and checked (its problems before anything is built), or None."""
    if getattr(args, "brand", None) is None:
        return None
    from .api import load_brand

    return load_brand(args.brand, max_input_size=args.max_input_size)


def cmd_build(args: argparse.Namespace) -> int:
    from .api import build_bytes, pseudo, write_atomic
    from .resources import theme

    try:
        theme(args.theme)
    except ResourceError as exc:
        raise UsageError(str(exc)) from None
    inputs, output = args.inputs, args.output
    if output is not None and not output.strip():
        raise UsageError("-o needs a file (FILE.pdf) or a folder (DIR/), not an empty name")
    _check_inputs(inputs)
    if args.rx is not None:
        return cmd_build_personal(args)
    if "-" in inputs and (output is None or len(inputs) > 1 or _folder_output(output)):
        raise UsageError("a leaflet read from standard input needs -o FILE.pdf (and no other inputs)")
    if output is not None and not _folder_output(output):
        if len(inputs) > 1:
            raise UsageError(f"-o {output} names one file, but {len(inputs)} inputs were given; "
                             "give a folder (ending with /) to write one PDF per input")
        if not output.lower().endswith(".pdf"):
            raise UsageError(f"-o {output}: the output file should end with .pdf (or end with / for a folder)")
    brand = _brand(args)  # one brand for every input: its problems are reported before anything is built
    planned = _planned_targets(args) if len(inputs) > 1 else [None]
    errors: list[ContentError] = []
    status = EXIT_OK
    for name, plan in zip(inputs, planned):  # one leaflet at a time: loaded, built, written, dropped
        try:
            doc = _load(name, args)
            if args.pseudo:
                doc = pseudo(doc)
            target = _target(output, doc.output_name)
            if plan is not None and target.resolve() != plan.resolve():
                print(f"leaflet: error: {name} changed while building (it now writes {target}, not {plan}); "
                      "not built", file=sys.stderr)
                status = EXIT_FAIL
                continue
            if plan is None and len(inputs) > 1:  # did not parse in the first pass, but does now
                print(f"leaflet: error: {name} changed while building; not built", file=sys.stderr)
                status = EXIT_FAIL
                continue
            pdf = build_bytes(doc, paper=args.paper, theme=args.theme, brand=brand)
            del doc
            write_atomic(target, pdf)
        except ContentError as exc:  # includes what is found when rendering: glyphs, a too-long disclaimer
            errors.append(exc)
            continue
        except RenderError as exc:
            print(f"{name}: error: {exc}", file=sys.stderr)
            if exc.hint:
                print(f"  hint: {exc.hint}", file=sys.stderr)
            status = EXIT_FAIL
            continue
        except OutputError as exc:  # this output only: the other inputs are still built
            print(f"leaflet: error: {exc}", file=sys.stderr)
            status = EXIT_FAIL
            continue
        print(f"wrote {target}")
    return _finish(errors, status)


def cmd_validate(args: argparse.Namespace) -> int:
    from .api import check, check_brand, check_personal, load_brand, personal_document, with_glyph_problems
    from .resources import theme as load_theme

    try:
        load_theme(args.theme)
    except ResourceError as exc:
        raise UsageError(str(exc)) from None
    _check_inputs(args.inputs)
    if not args.inputs and args.rx is None and args.brand is None:
        raise UsageError("give the files to check: content files (CONTENT.yaml), --rx RX.yaml or --brand BRAND.yaml")
    if args.rx is not None and len(args.inputs) > 1:
        raise UsageError(f"--rx is checked against one leaflet (as build --rx uses it), but {len(args.inputs)} "
                         "inputs were given")
    if args.brand is not None and not args.brand.strip():
        raise UsageError("--brand needs a brand file (BRAND.yaml), not an empty name")
    errors: list[ContentError] = []
    rx = brand = None
    if args.brand is not None:
        try:
            brand = load_brand(args.brand, max_input_size=args.max_input_size)
            if not args.inputs:  # its colours and logo (its texts' glyphs need a leaflet's fonts)
                check_brand(None, brand, None, load_theme(args.theme))
        except ContentError as exc:
            errors.append(exc)
    rx_name = None if args.rx is None else "<stdin>" if args.rx == "-" else args.rx
    rx_error: ContentError | None = None
    if args.rx is not None:
        try:
            rx = _prescription(args)
        except ContentError as exc:
            rx_error = exc
            errors.append(exc)
    for name in args.inputs:  # one leaflet at a time
        try:
            doc = _load(name, args)
            _, fonts = check(doc)
        except ContentError as exc:
            errors.append(exc)
            continue
        if rx_error is not None:  # the prescription's texts no font prints, with its other problems (as build)
            errors[errors.index(rx_error)] = ContentError(with_glyph_problems(rx_error, doc))
        brand_ok = brand
        if brand is not None:
            try:
                check_brand(doc, brand, fonts, load_theme(args.theme))
            except ContentError as exc:
                errors.append(exc)
                brand_ok = None  # reported once; the panel is still measured (without the brand's footer)
        if rx is not None:  # the leaflet build --rx would personalise, and its checks of the panel
            try:
                personal, warning = personal_document(doc, rx, max_input_size=args.max_input_size,
                                                      locales=args.locales)
                checked = rx
                if warning:
                    print(f"leaflet: warning: {warning}", file=sys.stderr)
                    checked = _prescription(args, personal.leaflet.language)  # as build --rx reads it
                check_personal(personal, checked, rx_file=rx_name or "", paper=args.paper, theme=args.theme,
                               brand=brand_ok)
            except ContentError as exc:
                errors.append(_rx_placed(args, exc))
    failed = {d.file for exc in errors for d in exc.diagnostics}
    for name in [*args.inputs, rx_name, args.brand]:
        shown_name = "<stdin>" if name == "-" else name
        if shown_name is not None and shown_name not in failed and not (name == rx_name and rx is None) \
                and not (name == args.brand and brand is None):
            print(f"{shown_name}: ok")
    return _finish(errors, EXIT_OK)


def cmd_verify(args: argparse.Namespace) -> int:
    from .api import check, pseudo
    from .check.verify import verify

    rx = None
    if args.rx is not None:
        if args.pseudo:
            raise UsageError("--rx and --pseudo cannot be given together")
        doc, rx = _personal(args, args.content)
    else:
        doc = _load(args.content, args)
    if args.pseudo:
        doc = pseudo(doc)
    check(doc)  # its locale (the furniture to look for) and fonts: a content error, not an unreadable PDF
    brand = _brand(args)
    pdf = Path(args.pdf)
    if not pdf.exists():
        raise UsageError(f"{pdf}: no such PDF file")
    if not pdf.is_file():  # a folder, a device, a pipe: never read (a pipe could wait forever)
        raise UsageError(f"{pdf}: not a PDF file (it is {'a folder' if pdf.is_dir() else 'not a regular file'})")
    try:
        problems = verify(doc, pdf, rx, brand=brand.brand if brand is not None else None)
    except PdfError as exc:  # encrypted, damaged, not a PDF: said in its own words, with what to do
        print(f"{pdf}: error: {exc}" + (f"\n  hint: {exc.hint}" if exc.hint else ""), file=sys.stderr)
        return EXIT_FAIL
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}: {pdf} does not print all of "
              f"{doc.path}", file=sys.stderr)
        return EXIT_FAIL
    what = "the pseudo-localised text" if args.pseudo else "the text"
    panel = " and the personal panel of the prescription" if rx is not None else ""
    print(f"{pdf}: prints all {what} of {doc.path}{panel}, in order and visibly")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    import json

    from .api import write_atomic
    from .check import translation as tr

    def load(name: str) -> Document:
        return _load(name, args)

    if "-" in args.inputs:
        raise UsageError("check reads files (a translation names its source beside it), not standard input")
    reports = tr.check_paths(args.inputs, load)
    if args.stamp:
        _stamp(reports, load, write_atomic)
    problems = [p for r in reports for p in r.problems]
    if args.json:
        sys.stdout.write(json.dumps(tr.json_report(reports), ensure_ascii=False, indent=2) + "\n")
        return EXIT_CONTENT if problems else EXIT_OK
    for r in reports:
        for p in r.problems:
            print(p.diagnostic, file=sys.stderr)
    for r in reports:
        if r.stamped:
            print(f"{r.file}: stamped with the fingerprint of {r.source} ({r.texts} texts)")
        if r.ok and r.role == "translation":
            print(f"{r.file}: agrees with {r.source} ({r.texts} texts, {r.numbers} numbers)")
        elif r.ok and r.role == "source":
            print(f"{r.file}: a source ({r.texts} texts; no translation block, nothing to compare)")
    if problems:
        files = sum(1 for r in reports if r.problems)
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''}",
              file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def _stamp(reports: list[FileReport], load: Callable[[str], Document], write: Callable[[str, bytes], object]) -> None:
    """--stamp: write the source's fingerprint into each translation whose only problems are a
    missing or stale fingerprint (a translation that disagrees otherwise is left as it is)."""
    from .check import translation as tr

    for r in reports:
        if r.role != "translation" or r.source is None:
            continue
        if any(p.diagnostic.code not in ("stale", "fingerprint") for p in r.problems):
            continue
        doc = load(r.file)
        text, changed = tr.stamp(doc, load(r.source))
        if changed:
            write(r.file, text.encode("utf-8"))
            r.stamped = True
        r.problems = []


def _emit(text: str, output: str | None, what: str) -> int:
    """Write a command's text to ``-o FILE`` (atomically) or to standard output."""
    from .api import write_atomic

    if output is not None and not output.strip():
        raise UsageError("-o needs a file name, not an empty one")
    if output:
        write_atomic(output, text.encode("utf-8"))
    elif sys.stdout is None:
        raise UsageError(f"standard output is closed: write the {what} to a file with -o FILE")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    if args.rx:
        from .personal.schema import schema_text as rx_schema_text

        return _emit(rx_schema_text(), args.output, "schema")
    from .content.schema import schema_text

    if args.brand:
        from .content.brand import brand_schema_text

        return _emit(brand_schema_text(), args.output, "schema")
    text = schema_text()
    return _emit(text, args.output, "schema")


def cmd_locale(args: argparse.Namespace) -> int:
    from .resources import locale_dirs, locale_file, locale_files, locale_status, shown

    dirs = locale_dirs(option=args.locales)
    if args.language is None:
        if args.output is not None:
            raise UsageError("-o needs a LANGUAGE: leaflet locale en -o fr.json")
        text = "".join(f"{tag}\t{shown(path)}\t{locale_status(path)}\n" for tag, path in locale_files(dirs))
    else:
        path = locale_file(args.language, dirs)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ResourceError(f"{shown(path)}: cannot read: {exc}") from None
    return _emit(text, args.output, "locale")


def cmd_xliff(args: argparse.Namespace) -> int:
    from .api import write_atomic, xliff_export, xliff_import

    if args.action == "export":
        if args.translation and args.no_translation:
            raise UsageError("--translation and --no-translation cannot be given together")
        output = args.output
        if output is not None and not output.strip():
            raise UsageError("-o needs a file name (FILE.xlf, or - for standard output), not an empty one")
        exported = xliff_export(args.source, args.language, translation=False if args.no_translation else
                                args.translation, max_input_size=args.max_input_size, locales=args.locales,
                                tool_version=__version__)
        if output == "-":
            return _emit(exported.text, None, "XLIFF file")
        target = Path(output) if output else Path("output") / exported.name
        write_atomic(target, exported.text.encode("utf-8"))
        filled = f", {exported.targets} filled in from {exported.translation}" if exported.translation else ""
        print(f"wrote {target}: {exported.units} texts to translate into {args.language}{filled}")
        return EXIT_OK
    if args.action == "import":
        if args.output is not None and not args.output.strip():
            raise UsageError("-o needs a file name (LANG.yaml), not an empty one")
        imported = xliff_import(args.xlf, source=args.source, output=args.output, check=not args.no_check,
                                max_input_size=args.max_input_size, locales=args.locales)
        if args.output is None:
            return _emit(imported.text, None, "translated leaflet")
        write_atomic(args.output, imported.text.encode("utf-8"))
        print(f"wrote {args.output}: {imported.units} texts in {imported.language}, translated from {imported.source}")
        if imported.warning:
            print(f"leaflet: warning: {imported.warning}", file=sys.stderr)
        return EXIT_OK
    raise UsageError("say what to do: 'leaflet xliff export SOURCE.yaml --to LANG' or 'leaflet xliff import FILE.xlf'")


def cmd_batch(args: argparse.Namespace) -> int:
    from . import api, batch
    from .resources import theme

    try:
        theme(args.theme)
    except ResourceError as exc:
        raise UsageError(str(exc)) from None
    out = args.output
    if Path(out).exists() and not Path(out).is_dir():
        raise UsageError(f"-o {out}: it is a file; name a folder to write the PDFs into")
    if args.jobs < 0:
        raise UsageError("--jobs must be 1 or more (0: one per CPU core)")
    workers = args.jobs or os.cpu_count() or 1
    merge = args.merge is not None
    if args.brand:  # its problems before any row is read (each worker loads it again, once)
        api.load_brand(args.brand)
    manifest = {} if args.force or merge else batch.read_manifest(out)
    items = batch.jobs_from_sheet(args.content, args.sheet, out, pattern=args.name, paper=args.paper,
                                  theme=args.theme, locales=tuple(args.locales),
                                  default_language=args.default_language, verify=args.verify, manifest=manifest,
                                  panel=merge, brand=args.brand or "")
    first = next(items, None)  # the sheet's own problems (its header) before anything else

    def all_items() -> Iterator[batch.Job | batch.Bad]:
        if first is not None:
            yield first
            yield from items

    progress = None
    if not args.quiet and sys.stderr is not None and sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit=" leaflets", file=sys.stderr, leave=False)
    bad_rows, failed, written, skipped = 0, 0, 0, 0
    warnings: dict[str, list[int]] = {}
    shared: set[str] = set()  # problems of a template (not of a row) already printed
    entries = dict(manifest)
    built: list[tuple[batch.Job, batch.Result]] = []
    pending_jobs: dict[int, batch.Job] = {}
    try:
        if not merge:
            os.makedirs(out, exist_ok=True)
            api.remove_stale_temporaries(out)  # once: each output is then written without looking
        jobs_by_row: dict[int, batch.Job] = pending_jobs

        def remember(item: batch.Job | batch.Bad) -> batch.Job | batch.Bad:
            if merge and isinstance(item, batch.Job):
                jobs_by_row[item.row] = item
            return item

        for result in batch.run((remember(i) for i in all_items()), workers=workers):
            if progress is not None:
                progress.update(1)
            if isinstance(result, batch.Bad):
                bad_rows += 1
                for d in result.problems:
                    if d.file != args.sheet:  # a translation's problem, not the row's: said once
                        said = str(d)
                        if said in shared:
                            continue
                        shared.add(said)
                    _print_err(str(d))
                continue
            if result.warning:
                warnings.setdefault(result.warning, []).append(result.row)
            if result.status == "failed":
                if result.problems:  # the row's content: as a bad row
                    bad_rows += 1
                    for d in result.problems:
                        if d.file != args.sheet:  # the leaflet's or the brand's, not the row's: said once
                            said = str(d)
                            if said in shared:
                                continue
                            shared.add(said)
                        _print_err(str(d))
                else:  # an output that cannot be written, a PDF that fails --verify
                    failed += 1
                    _print_err(f"leaflet: error: {result.error}")
                continue
            if result.status == "skipped":
                skipped += 1
            elif result.status == "written":
                written += 1
            if merge:
                built.append((jobs_by_row.pop(result.row), result))
            elif result.output:
                entries[os.path.basename(result.output)] = f"{result.key}:{result.digest}"
    finally:
        if progress is not None:
            progress.close()
        if not merge and (written or skipped or entries != manifest):
            batch.write_manifest(out, entries)
    for warning, rows in warnings.items():
        shown = ", ".join(map(str, rows[:5])) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
        _print_err(f"leaflet: warning: {args.sheet}: row{'s' if len(rows) > 1 else ''} {shown}: {warning}")
    if merge:
        target = args.merge if os.path.dirname(args.merge) else os.path.join(out, args.merge)
        # the rows with problems are not in the print-ready file: said beside it, not only above
        left_out = (f", {bad_rows + failed} row{'s' if bad_rows + failed != 1 else ''} with problems not in it"
                    if bad_rows or failed else "")
        if built:
            pages = batch.merge_results(target, built, title=f"{Path(args.content).name or 'leaflets'} (batch)")
            print(f"wrote {target}: {len(built)} leaflets, {pages} pages{left_out}")
        else:
            print(f"{target}: not written: no leaflet to merge{left_out}")
    else:
        print(f"{out}: {written} written, {skipped} up to date" + (f", {bad_rows} row{'s' * (bad_rows != 1)} with problems"
                                                                   if bad_rows else "")
              + (f", {failed} failed" if failed else ""))
    if failed:
        return EXIT_FAIL
    return EXIT_CONTENT if bad_rows else EXIT_OK


def _print_err(text: str) -> None:
    if sys.stderr is not None:
        print(text, file=sys.stderr)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from .service.app import Settings
        from .service.server import read_token, serve
        from .service.workers import default_size
    except ImportError as exc:  # the service's libraries are not installed
        raise UsageError(f"leaflet serve needs {exc.name or 'starlette and uvicorn'}: "
                         "pip install 'leaflet[serve]'") from None
    from .service.brands import brand_ids

    settings = Settings(library=Path(args.library), token=read_token(args.token_file), max_body=args.max_body,
                        timeout=args.timeout, workers=args.workers or default_size(), max_queue=args.max_queue,
                        brands=brand_ids(args.brand))
    return serve(settings, args.host, args.port)


COMMANDS = {"build": cmd_build, "validate": cmd_validate, "verify": cmd_verify, "check": cmd_check,
            "schema": cmd_schema, "locale": cmd_locale, "xliff": cmd_xliff,
            "batch": cmd_batch, "serve": cmd_serve}


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # messages quote the author's text, whatever it holds
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    program = argv is None  # the leaflet command itself, not a caller in a process that goes on
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(argv[0] if argv and argv[0] in COMMANDS else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: a status, for in-process callers too
        return exc.code if isinstance(exc.code, int) else EXIT_FAIL
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_FAIL
    if program:  # the objects made so far live until the process ends: the collector skips them
        from .api import settle

        settle(render=args.command == "build")
    with raise_on_signals(("SIGTERM", "SIGHUP")):  # SIGINT raises KeyboardInterrupt as usual
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command](args)
    except ContentError as exc:
        _report([exc])
        return EXIT_CONTENT
    except UsageError as exc:
        print(f"leaflet: error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except OSError as exc:
        print(f"leaflet: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_FAIL
    except (ResourceError, OutputError, RenderError, PdfError) as exc:
        print(f"leaflet: error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except LeafletError as exc:  # any other kind leaflet raises on purpose: reported as what it says
        print(f"leaflet: error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("leaflet: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except Signalled as exc:
        print(f"leaflet: stopped by signal {signal.Signals(exc.signum).name}", file=sys.stderr)
        return 128 + exc.signum
    except Exception as exc:  # never a bare traceback for a user; LEAFLET_DEBUG=1 shows it
        if os.environ.get("LEAFLET_DEBUG"):
            raise
        print(f"leaflet: internal error: {type(exc).__name__}: {exc}\n"
              "  hint: this is a bug in leaflet; run again with LEAFLET_DEBUG=1 and report the traceback",
              file=sys.stderr)
        return EXIT_FAIL
