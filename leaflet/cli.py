"""The ``leaflet`` command: a thin layer over :mod:`leaflet.api`.

Exit status: 0 all went well; 2 the content has problems (every one is
listed, with file:line:col); 1 anything else (usage, missing files, a PDF
that fails verification, an internal error).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import ContentError, ResourceError, UsageError
from .resources import available_themes

EXIT_OK, EXIT_FAIL, EXIT_CONTENT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on bad usage; 2 is reserved for content errors here."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_FAIL, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="leaflet",
        description="Turn patient medicine leaflet content (YAML) into printable PDF leaflets.",
        epilog="Exit status: 0 ok, 2 content errors, 1 anything else. "
               "Example: leaflet build content/baclofen/en.yaml",
    )
    parser.add_argument("--version", action="version", version=f"leaflet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser(
        "build", help="build PDF leaflets from content files",
        description="Validate each content file and write one PDF per file. Without -o, "
                    "content/<leaflet>/<lang>.yaml is written to output/<leaflet>-<lang>.pdf.")
    build.add_argument("inputs", nargs="+", metavar="CONTENT.yaml",
                       help="leaflet content file(s); - reads one from standard input (then -o is required)")
    build.add_argument("-o", "--output", metavar="FILE.pdf|DIR/",
                       help="the PDF to write (one input), or a folder to write into (ends with / or exists); "
                            "default: output/")
    build.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default: a4)")
    build.add_argument("--theme", default="default",
                       help=f"{' or '.join(available_themes())} (default: default; large-print is 14 pt)")

    validate = sub.add_parser("validate", help="check content files without building",
                              description="Check content files and report every problem found.")
    validate.add_argument("inputs", nargs="+", metavar="CONTENT.yaml", help="content file(s); - for standard input")

    verify = sub.add_parser("verify", help="check that a PDF prints all of its content",
                            description="Read a built PDF back and report content text it does not print, "
                                        "and pages that lack the disclaimer or page number.")
    verify.add_argument("content", metavar="CONTENT.yaml")
    verify.add_argument("pdf", metavar="LEAFLET.pdf")

    schema = sub.add_parser("schema", help="print the JSON Schema of the content format",
                            description="Print the JSON Schema of leaflet content files (for editors).")
    schema.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    return parser


def _outputs(docs: list, output: str | None) -> list[Path]:
    if any(doc.path == "<stdin>" for doc in docs) and (output is None or len(docs) > 1):
        raise UsageError("a leaflet read from standard input needs -o FILE.pdf (and no other inputs)")
    if output is not None and (output.endswith(("/", "\\")) or Path(output).is_dir()):
        folder = Path(output)
        return [folder / f"{doc.output_name}.pdf" for doc in docs]
    if output is not None:
        if len(docs) > 1:
            raise UsageError(f"-o {output} names one file, but {len(docs)} inputs were given; "
                             "give a folder (ending with /) to write one PDF per input")
        if not output.lower().endswith(".pdf"):
            raise UsageError(f"-o {output}: the output file should end with .pdf (or end with / for a folder)")
        return [Path(output)]
    return [Path("output") / f"{doc.output_name}.pdf" for doc in docs]


def _load_all(inputs: Sequence[str], *, glyphs: bool) -> tuple[list, list[ContentError]]:
    """Load and validate every input; ``glyphs`` adds the font check (build does it when it renders)."""
    from .api import check, load, parse

    if list(inputs).count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")
    docs, errors = [], []
    for name in inputs:
        try:
            doc = parse(sys.stdin.read(), "<stdin>") if name == "-" else load(name)
            if glyphs:
                check(doc)
            docs.append(doc)
        except ContentError as exc:
            errors.append(exc)
    return docs, errors


def _report(errors: list[ContentError]) -> None:
    for exc in errors:
        for d in exc.diagnostics:
            print(d, file=sys.stderr)
    total = sum(len(e.diagnostics) for e in errors)
    files = len(errors)
    print(f"{total} problem{'s' if total != 1 else ''} in {files} file{'s' if files != 1 else ''}", file=sys.stderr)


def _finish(errors: list[ContentError], status: int) -> int:
    """Report content errors (all files together) and choose the exit status."""
    if errors:
        _report(errors)
        return EXIT_CONTENT
    return status


def cmd_build(args: argparse.Namespace) -> int:
    from .api import build
    from .errors import RenderError
    from .resources import theme

    try:
        theme(args.theme)
    except ResourceError as exc:
        raise UsageError(str(exc)) from None
    docs, errors = _load_all(args.inputs, glyphs=False)
    targets = _outputs(docs, args.output)
    seen: dict[Path, str] = {}
    for doc, target in zip(docs, targets):
        key = target.resolve()
        if key in seen:
            raise UsageError(f"{seen[key]} and {doc.path} would both write {target}; "
                             "build them separately with -o, or keep one leaflet per folder and language")
        seen[key] = doc.path
    status = EXIT_OK
    for doc, target in zip(docs, targets):
        try:
            build(doc, target, paper=args.paper, theme=args.theme)
        except ContentError as exc:  # found when rendering: glyphs, a disclaimer too long for the footer
            errors.append(exc)
            continue
        except RenderError as exc:
            print(f"{doc.path}: error: {exc}", file=sys.stderr)
            status = EXIT_FAIL
            continue
        print(f"wrote {target}")
    return _finish(errors, status)


def cmd_validate(args: argparse.Namespace) -> int:
    docs, errors = _load_all(args.inputs, glyphs=True)
    for doc in docs:
        print(f"{doc.path}: ok")
    return _finish(errors, EXIT_OK)


def cmd_verify(args: argparse.Namespace) -> int:
    from .api import load
    from .check.verify import verify

    doc = load(args.content)
    pdf = Path(args.pdf)
    if not pdf.is_file():
        raise UsageError(f"{pdf}: no such PDF file")
    try:
        problems = verify(doc, pdf)
    except Exception as exc:  # noqa: BLE001 - replaced by PdfError reporting  # pypdf raises many kinds of errors on damaged files
        print(f"{pdf}: error: cannot read the PDF: {exc}", file=sys.stderr)
        return EXIT_FAIL
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}: {pdf} does not print all of "
              f"{doc.path}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{pdf}: prints all the text of {doc.path}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .api import write_atomic
    from .content.schema import schema_text

    text = schema_text()
    if args.output:
        write_atomic(args.output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return EXIT_OK


COMMANDS = {"build": cmd_build, "validate": cmd_validate, "verify": cmd_verify, "schema": cmd_schema}


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # messages quote the author's text, whatever it holds
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: a status, for in-process callers too
        return exc.code if isinstance(exc.code, int) else EXIT_FAIL
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_FAIL
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
    except ResourceError as exc:
        print(f"leaflet: error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a bare traceback for a user; LEAFLET_DEBUG=1 shows it
        if os.environ.get("LEAFLET_DEBUG"):
            raise
        print(f"leaflet: internal error: {type(exc).__name__}: {exc}\n"
              "  hint: this is a bug in leaflet; run again with LEAFLET_DEBUG=1 and report the traceback",
              file=sys.stderr)
        return EXIT_FAIL
