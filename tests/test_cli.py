"""The ``leaflet`` command, run in-process (plus one real subprocess each for -m and the console script).

Exit status: 0 ok, 2 content errors, 1 anything else; never a Python traceback.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import leaflet
from leaflet.cli import main

from .conftest import MINIMAL, ROOT, SAMPLE

TRACEBACK = "Traceback (most recent call last)"
EN = Path("content/baclofen/en.yaml")
ALTERED_FROM, ALTERED_TO = "helps regulate the transmission", "helps control the transmission"  # sections[0].blocks[0]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """main(argv) -> (exit status, stdout, stderr); argparse's SystemExit counts as a status too."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    assert TRACEBACK not in err and TRACEBACK not in out
    return code, out, err


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A working folder holding content/baclofen/en.yaml (the sample), as the current directory."""
    (tmp_path / "content" / "baclofen").mkdir(parents=True)
    shutil.copyfile(SAMPLE, tmp_path / EN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: str | Path, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def sample_with(old: str, new: str) -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def page_sizes(pdf: Path) -> set[tuple[float, float]]:
    from pypdf import PdfReader

    return {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in PdfReader(pdf).pages}


# -- build: where the PDFs go ---------------------------------------------------

def test_build_writes_output_folder_by_default(project, capsys):
    code, out, err = run(capsys, "build", EN)
    assert code == 0, err
    pdf = project / "output" / "baclofen-en.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert files_in(project / "output") == ["baclofen-en.pdf"]  # no temporary files left
    assert "wrote output/baclofen-en.pdf" in out
    assert page_sizes(pdf) == {(595.28, 841.89)}  # A4


def test_build_to_a_named_file(project, capsys):
    code, _out, err = run(capsys, "build", EN, "-o", "leaflets/baclofen.pdf")
    assert code == 0, err
    assert (project / "leaflets" / "baclofen.pdf").read_bytes().startswith(b"%PDF-")
    assert files_in(project / "leaflets") == ["baclofen.pdf"]
    assert not (project / "output").exists()


def test_build_into_a_new_folder(project, capsys):
    code, _, err = run(capsys, "build", EN, "-o", "new/sub/")
    assert code == 0, err
    assert files_in(project / "new" / "sub") == ["baclofen-en.pdf"]


def test_build_into_an_existing_folder_without_slash(project, capsys):
    (project / "pdfs").mkdir()
    code, _, err = run(capsys, "build", EN, "-o", "pdfs")
    assert code == 0, err
    assert files_in(project / "pdfs") == ["baclofen-en.pdf"]


def test_build_several_inputs_writes_one_pdf_each(project, capsys):
    write("content/baclofen/en-GB.yaml", sample_with("language: en\n", "language: en-GB\n"))
    write("content/testamol/en.yaml", MINIMAL)
    code, out, err = run(capsys, "build", EN, "content/baclofen/en-GB.yaml", "content/testamol/en.yaml")
    assert code == 0, err
    assert files_in(project / "output") == ["baclofen-en-GB.pdf", "baclofen-en.pdf", "testamol-en.pdf"]
    assert out.count("wrote ") == 3


def test_two_inputs_writing_the_same_file_is_refused(project, capsys):
    write("content/baclofen/copy.yaml", SAMPLE.read_text(encoding="utf-8"))  # also language en
    code, out, err = run(capsys, "build", EN, "content/baclofen/copy.yaml")
    assert code == 1
    assert "content/baclofen/en.yaml" in err and "content/baclofen/copy.yaml" in err
    assert "would both write output/baclofen-en.pdf" in err
    assert not (project / "output").exists()
    assert "wrote" not in out


def test_one_output_file_for_two_inputs_is_refused(project, capsys):
    write("content/testamol/en.yaml", MINIMAL)
    code, _, err = run(capsys, "build", EN, "content/testamol/en.yaml", "-o", "x.pdf")
    assert code == 1
    assert "-o x.pdf names one file, but 2 inputs were given" in err
    assert not (project / "x.pdf").exists() and not (project / "output").exists()


def test_output_file_must_end_with_pdf(project, capsys):
    code, _, err = run(capsys, "build", EN, "-o", "leaflet.txt")
    assert code == 1
    assert "should end with .pdf" in err
    assert not (project / "leaflet.txt").exists()


def test_output_folder_that_is_a_file(project, capsys):
    write("notes.txt", "x")
    code, _, err = run(capsys, "build", EN, "-o", "notes.txt/baclofen.pdf")
    assert code == 1
    assert "notes.txt" in err and ("not a folder" in err or "not a directory" in err.lower()), err


# -- build: content errors write nothing ----------------------------------------

def test_content_error_exits_2_and_writes_nothing(project, capsys):
    write(EN, sample_with("      - subheading: How Baclofen Works", "      - subheadin: How Baclofen Works"))
    (project / "output").mkdir()
    code, out, err = run(capsys, "build", EN)
    assert code == 2
    assert files_in(project / "output") == []  # neither the PDF nor a temporary file
    line = next(n for n, text in enumerate((project / EN).read_text().splitlines(), 1) if "subheadin:" in text)
    assert (f"content/baclofen/en.yaml:{line}:9: error[unknown-key]: sections[0].blocks[2].subheadin: "
            "unknown key 'subheadin'") in err
    assert "did you mean 'subheading'?" in err
    assert err.rstrip().endswith("1 problem in 1 file")
    assert "wrote" not in out


def test_character_without_a_glyph_is_a_content_error(project, capsys):
    write(EN, sample_with("  name: Baclofen\n", "  name: Baclofen \U0001F48A\n"))
    code, _, err = run(capsys, "build", EN)
    assert code == 2
    assert "medicine.name:" in err and "U+1F48A" in err
    assert not (project / "output").exists()


def test_content_error_in_one_of_several_inputs(project, capsys):
    write("content/broken/en.yaml", MINIMAL.replace("disclaimer:", "disclaimr:"))
    code, _, err = run(capsys, "build", EN, "content/broken/en.yaml")
    assert code == 2
    assert "content/broken/en.yaml:" in err and "unknown key 'disclaimr'" in err
    assert "broken-en.pdf" not in files_in(project / "output")


def test_missing_input_file(project, capsys):
    code, _, err = run(capsys, "build", "content/nope/en.yaml")
    assert code == 2
    assert "content/nope/en.yaml: error[input]: file not found" in err
    assert not (project / "output").exists()


def test_failed_write_leaves_no_temporary_file(project, capsys, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    (project / "output").mkdir()
    code, _, err = run(capsys, "build", EN)
    assert code == 1
    assert "Permission denied" in err
    assert files_in(project / "output") == []


def test_internal_error_is_reported_without_a_traceback(project, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("layout exploded")

    monkeypatch.delenv("LEAFLET_DEBUG", raising=False)
    monkeypatch.setattr(leaflet.api, "build_bytes", broken)
    code, _, err = run(capsys, "build", EN)
    assert code == 1
    assert "internal error: RuntimeError: layout exploded" in err and "LEAFLET_DEBUG=1" in err
    assert not (project / "output").exists()


# -- build options ----------------------------------------------------------------

def test_paper_letter(project, capsys):
    code, _, err = run(capsys, "build", EN, "--paper", "letter", "-o", "letter.pdf")
    assert code == 0, err
    assert page_sizes(project / "letter.pdf") == {(612.0, 792.0)}


def test_unknown_theme(project, capsys):
    code, _, err = run(capsys, "build", EN, "--theme", "fancy")
    assert code == 1
    assert "unknown theme 'fancy'" in err and "default" in err
    assert not (project / "output").exists()


@pytest.mark.parametrize("argv", [
    ["--bogus"],
    ["build", EN, "--colour", "red"],
    ["build", EN, "--paper", "a3"],
    ["build"],
    ["verify", EN],
    ["frobnicate"],
], ids=["global-option", "build-option", "paper-choice", "no-inputs", "verify-one-arg", "unknown-command"])
def test_bad_usage_exits_1(project, capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 1  # not 2: that is for content errors
    assert "usage: leaflet" in err and "error:" in err
    assert not (project / "output").exists()


def test_no_command_prints_help_and_exits_1(capsys):
    code, out, err = run(capsys)
    assert code == 1
    assert "usage: leaflet" in err and "build" in err and out == ""


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"leaflet {leaflet.__version__}"


# -- validate -----------------------------------------------------------------------

def test_validate_ok(project, capsys):
    code, out, err = run(capsys, "validate", EN)
    assert code == 0, err
    assert out.strip() == "content/baclofen/en.yaml: ok"
    assert not (project / "output").exists()


def test_validate_bad(project, capsys):
    write("content/broken/en.yaml", MINIMAL.replace('date: "2026-01-02"', "date: tomorrow"))
    code, out, err = run(capsys, "validate", EN, "content/broken/en.yaml")
    assert code == 2
    assert "content/baclofen/en.yaml: ok" in out
    assert "content/broken/en.yaml:7:9: error[value]: revision.date: 'tomorrow' is not a date written YYYY-MM-DD" in err
    assert err.rstrip().endswith("1 problem in 1 file")


# -- verify ---------------------------------------------------------------------------

def test_verify_a_good_pdf(project, capsys):
    assert run(capsys, "build", EN)[0] == 0
    code, out, err = run(capsys, "verify", EN, "output/baclofen-en.pdf")
    assert code == 0, err
    assert "prints all the text of content/baclofen/en.yaml" in out


def test_verify_against_a_pdf_of_altered_content(project, capsys):
    write("altered/en.yaml", sample_with(ALTERED_FROM, ALTERED_TO))
    assert run(capsys, "build", "altered/en.yaml", "-o", "altered.pdf")[0] == 0
    code, _, err = run(capsys, "verify", EN, "altered.pdf")
    assert code == 1
    line = next(n for n, text in enumerate(SAMPLE.read_text().splitlines(), 1) if ALTERED_FROM in text)
    assert f"content/baclofen/en.yaml:{line}:" in err
    assert "sections[0].blocks[0].text: not printed in the PDF" in err
    assert "1 problem: altered.pdf does not print all of content/baclofen/en.yaml" in err


def test_verify_a_missing_pdf(project, capsys):
    code, _, err = run(capsys, "verify", EN, "nope.pdf")
    assert code == 1
    assert "nope.pdf: no such PDF file" in err


def test_verify_a_file_that_is_not_a_pdf(project, capsys):
    write("fake.pdf", "not a PDF at all\n")
    code, _, err = run(capsys, "verify", EN, "fake.pdf")
    assert code == 1
    assert "fake.pdf: error: fake.pdf is not a PDF file (it does not start with '%PDF-')" in err
    assert "hint: give the PDF that 'leaflet build' wrote" in err


def test_verify_with_bad_content(project, capsys):
    write("fake.pdf", "not a PDF at all\n")
    code, _, err = run(capsys, "verify", "content/nope.yaml", "fake.pdf")
    assert code == 2
    assert "content/nope.yaml: error[input]: file not found" in err


# -- schema ------------------------------------------------------------------------------

def test_schema_prints_json_schema(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert {"Leaflet", "Block", "Section"} <= set(schema["$defs"])


def test_schema_gives_one_schema_a_run(capsys):
    # --rx and --brand choose the schema: both at once is an error, not one of them silently
    code, out, err = run(capsys, "schema", "--rx", "--brand")
    assert code == 1 and out == ""
    assert "argument --brand: not allowed with argument --rx" in err
    assert json.loads(run(capsys, "schema", "--brand")[1])["$id"].endswith("brand.schema.json")


def test_schema_to_a_file(tmp_path, capsys):
    _code, out, _ = run(capsys, "schema")
    target = tmp_path / "schema" / "leaflet.schema.json"
    assert run(capsys, "schema", "-o", target)[0] == 0
    assert target.read_text(encoding="utf-8") == out


# -- real processes -----------------------------------------------------------------------

def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def test_python_m_leaflet_help():
    proc = subprocess.run([sys.executable, "-m", "leaflet", "--help"], capture_output=True, text=True,
                          env=_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: leaflet")
    for command in ("build", "validate", "verify", "schema"):
        assert command in proc.stdout
    assert TRACEBACK not in proc.stderr


def test_console_script(tmp_path):
    beside = Path(sys.executable).parent / "leaflet"  # the venv's script, even when the venv is not activated
    exe = str(beside) if beside.is_file() else shutil.which("leaflet")
    if exe is None:
        pytest.skip("the 'leaflet' console script is not on PATH (pip install -e .)")
    proc = subprocess.run([exe, "validate", str(SAMPLE)], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{SAMPLE}: ok"
    bad = write(tmp_path / "bad.yaml", "- a list\n")
    proc = subprocess.run([exe, "validate", str(bad)], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert "the document is a list" in proc.stderr and TRACEBACK not in proc.stderr


# -- standard input, odd characters ---------------------------------------------

def test_build_from_standard_input(project, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(SAMPLE.read_text(encoding="utf-8")))
    code, _out, _ = run(capsys, "build", "-", "-o", "from-stdin.pdf")
    assert code == 0 and (project / "from-stdin.pdf").is_file()


def test_standard_input_needs_an_output_file(project, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(SAMPLE.read_text(encoding="utf-8")))
    code, _, err = run(capsys, "build", "-")
    assert code == 1 and "needs -o" in err


def test_invisible_and_unpaired_characters_are_named_by_code_point(project, capsys):
    write("odd.yaml", sample_with("  name: Baclofen\n", '  name: "Baclofen\\u200b\\U0001F600"\n'))
    code, _, err = run(capsys, "validate", "odd.yaml")
    assert code == 2
    assert "U+1F600" in err and "no glyph" in err and "Traceback" not in err


def test_backslash_escape_error_explains_quoting(project, capsys):
    write("esc.yaml", sample_with("  name: Baclofen\n", '  name: "C:\\Baclofen"\n'))
    code, _, err = run(capsys, "validate", "esc.yaml")
    assert code == 2 and "esc.yaml:6:" in err and "single quotes" in err


def test_layout_time_content_error_does_not_stop_the_other_inputs(project, capsys):
    write("content/long/en.yaml", sample_with(
        "disclaimer: \"This information", "disclaimer: \"" + "Ask your doctor. " * 400 + "This information"))
    code, _out, err = run(capsys, "build", EN, "content/long/en.yaml")
    assert code == 2
    assert (project / "output" / "baclofen-en.pdf").is_file()
    assert not (project / "output" / "long-en.pdf").exists()
    assert "disclaimer" in err and "few lines" in err


# -- input: only regular files, within a size limit; standard input ---------------------------

def run_with_timeout(*argv: str, stdin=None, timeout: float = 20) -> subprocess.CompletedProcess:
    """The command in a subprocess: a hang fails the test instead of stopping the suite."""
    return subprocess.run([sys.executable, "-m", "leaflet", *argv], capture_output=True, text=True, stdin=stdin,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_device_is_refused_at_once(command, project):
    done = run_with_timeout(command, "/dev/zero", timeout=20)
    assert done.returncode == 2, done.stderr
    assert "/dev/zero: error[input]: this is a character device, not a leaflet file" in done.stderr
    assert TRACEBACK not in done.stderr


@pytest.mark.parametrize("command", ["build", "validate", "verify"])
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(command, project):
    os.mkfifo(project / "pipe.yaml")
    argv = [command, "pipe.yaml"] + (["x.pdf"] if command == "verify" else [])
    done = run_with_timeout(*argv, timeout=20)
    assert done.returncode == 2, done.stderr
    assert "pipe.yaml: error[input]: this is a named pipe (FIFO), not a leaflet file" in done.stderr


def test_input_larger_than_the_limit(project, capsys):
    size = (project / EN).stat().st_size
    code, _, err = run(capsys, "validate", EN, "--max-input-size", str(size - 1))
    assert code == 2
    assert f"{EN}: error[input]: the input is larger than the limit of {size - 1:,} bytes" in err
    assert "--max-input-size" in err
    assert run(capsys, "validate", EN, "--max-input-size", str(size))[0] == 0


def test_default_input_limit_is_10_mb(project, capsys):
    write("big.yaml", "# " + "x" * (10 * 1024 * 1024) + "\n")
    code, _, err = run(capsys, "validate", "big.yaml")
    assert code == 2 and "larger than the limit of 10 MB" in err
    code, _, err = run(capsys, "validate", "big.yaml", "--max-input-size", "11M")
    assert code == 2 and "larger than the limit" not in err and "the file is empty" in err


@pytest.mark.parametrize("size, expected", [("500", 500), ("500K", 500 * 1024), ("10M", 10 << 20), ("1g", 1 << 30),
                                            ("2MB", 2 << 20), ("3MiB", 3 << 20)])
def test_max_input_size_units(size, expected):
    from leaflet.cli import input_size

    assert input_size(size) == expected


@pytest.mark.parametrize("size", ["lots", "0", "-5", "1.5M", "10T"])
def test_bad_max_input_size_is_a_usage_error(size, project, capsys):
    code, _, err = run(capsys, "validate", EN, "--max-input-size", size)
    assert code == 1 and "is not a size" in err


def test_standard_input_larger_than_the_limit(project):
    done = run_with_timeout("validate", "-", "--max-input-size", "1K", stdin=open("/dev/zero", "rb"))
    assert done.returncode == 2 and "<stdin>: error[input]: the input is larger than the limit of 1 KB" in done.stderr


def test_standard_input_that_is_not_utf8(project):
    (project / "latin1.yaml").write_bytes(MINIMAL.replace("Testamol", "Testamöl").encode("latin-1"))
    with open(project / "latin1.yaml", "rb") as fh:
        done = run_with_timeout("validate", "-", stdin=fh)
    assert done.returncode == 2
    assert "<stdin>:3:15: error[input]: the file is not valid UTF-8 (byte 0xf6)" in done.stderr, done.stderr


def test_closed_standard_input(project):
    done = subprocess.run(f"{sys.executable} -m leaflet validate - <&-", shell=True, capture_output=True, text=True,
                          timeout=20, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1
    assert "leaflet: error: standard input is closed" in done.stderr and TRACEBACK not in done.stderr


def test_validate_from_standard_input(project):
    with open(SAMPLE, "rb") as fh:
        done = run_with_timeout("validate", "-", stdin=fh)
    assert done.returncode == 0 and "<stdin>: ok" in done.stdout


# -- build of several inputs: one at a time; one failed output does not stop the others ------

def test_several_inputs_are_loaded_built_and_dropped_one_at_a_time(project, capsys, monkeypatch):
    write("content/other/en.yaml", MINIMAL)
    calls = []
    real_load, real_build = leaflet.api.load, leaflet.api.build_bytes
    monkeypatch.setattr(leaflet.api, "load", lambda path, **kw: calls.append(("load", str(path))) or real_load(path, **kw))
    monkeypatch.setattr(leaflet.api, "build_bytes",
                        lambda doc, **kw: calls.append(("build", doc.path)) or real_build(doc, **kw))
    code, _out, err = run(capsys, "build", EN, "content/other/en.yaml")
    assert code == 0, err
    assert calls == [("load", str(EN)), ("build", str(EN)),
                     ("load", "content/other/en.yaml"), ("build", "content/other/en.yaml")]


def test_collision_is_found_before_anything_is_written_even_after_a_valid_input(project, capsys):
    write("content/other/en.yaml", MINIMAL)
    write("content/other/sub/../en2.yaml", MINIMAL)
    code, _, err = run(capsys, "build", EN, "content/other/en.yaml", "content/other/en2.yaml")
    assert code == 1 and "would both write output/other-en.pdf" in err
    assert not (project / "output").exists()


def test_one_failed_output_names_its_file_and_the_others_are_built(project, capsys):
    write("content/other/en.yaml", MINIMAL)
    (project / "out" / "baclofen-en.pdf").mkdir(parents=True)  # a folder where the PDF should go
    code, out, err = run(capsys, "build", EN, "content/other/en.yaml", "-o", "out/")
    assert code == 1
    assert "leaflet: error: cannot write out/baclofen-en.pdf: it is a folder" in err
    assert "wrote out/other-en.pdf" in out and (project / "out" / "other-en.pdf").is_file()
    assert sorted(files_in(project / "out")) == ["baclofen-en.pdf", "other-en.pdf"]  # no temporary file


def test_unwritable_output_names_the_pdf_and_the_others_are_built(project, capsys, monkeypatch):
    """As if out/baclofen-en.pdf's folder refused writing (faked: the tests may run as root)."""
    write("content/other/en.yaml", MINIMAL)
    real_open = os.open

    def refusing_open(path, flags, *args, **kw):
        if "baclofen-en.pdf" in os.fspath(path) and flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", refusing_open)
    code, out, err = run(capsys, "build", EN, "content/other/en.yaml", "-o", "out/")
    assert code == 1
    assert "leaflet: error: cannot write out/baclofen-en.pdf: Permission denied" in err
    assert ".leaflet-tmp" not in err  # the PDF is named, not the temporary file
    assert "wrote out/other-en.pdf" in out and files_in(project / "out") == ["other-en.pdf"]


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_verify_refuses_a_pdf_that_is_not_a_regular_file(kind, project):
    target = project / "x.pdf"
    target.mkdir() if kind == "folder" else os.mkfifo(target)
    done = run_with_timeout("verify", str(EN), "x.pdf")
    assert done.returncode == 1 and "x.pdf: not a PDF file (it is " in done.stderr, done.stderr


def test_schema_to_a_closed_standard_output(project):
    done = subprocess.run(f"{sys.executable} -m leaflet schema >&-", shell=True, capture_output=True, text=True,
                          timeout=20, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1 and "standard output is closed" in done.stderr and TRACEBACK not in done.stderr


def test_a_huge_input_limit_still_reads_in_pieces(project, capsys, monkeypatch):
    """--max-input-size 1000000G: reading never asks for one buffer of that size."""
    assert run(capsys, "validate", EN, "--max-input-size", "1000000G")[0] == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(SAMPLE.read_text(encoding="utf-8")))
    code, out, err = run(capsys, "validate", "-", "--max-input-size", "1000000G")
    assert code == 0 and "<stdin>: ok" in out, err


@pytest.mark.parametrize("command", [["build", str(EN)], ["schema"]])
def test_an_empty_output_name_is_a_usage_error(command, project, capsys):
    code, out, err = run(capsys, *command, "-o", "")
    assert code == 1 and "-o needs a file" in err and out == ""
    assert files_in(project) == ["content"]
