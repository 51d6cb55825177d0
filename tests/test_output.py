"""What leaflet writes: the PDF's dates, and files replaced atomically, safely and only when regular."""
from __future__ import annotations

import subprocess

import pytest

import leaflet
from tests.conftest import MINIMAL


def pdf_dates(pdf: bytes, tmp_path) -> dict[str, str]:
    out = tmp_path / "dates.pdf"
    out.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", "-isodates", str(out)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in info.splitlines() if "Date" in line)}


@pytest.mark.parametrize("date, expected", [("2026-01-02", "2026-01-02T00:00:00Z"), ("2025-07", "2025-07-01T00:00:00Z")])
def test_pdf_dates_are_the_revision_date(date, expected, tmp_path, monkeypatch, has_poppler):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdf = leaflet.build_bytes(leaflet.parse(MINIMAL.replace("2026-01-02", date)))
    assert pdf_dates(pdf, tmp_path) == {"CreationDate": expected, "ModDate": expected}


def test_pdf_dates_follow_source_date_epoch(tmp_path, monkeypatch, has_poppler):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdf = leaflet.build_bytes(leaflet.parse(MINIMAL))
    assert pdf_dates(pdf, tmp_path) == {"CreationDate": "2023-11-14T22:13:20Z", "ModDate": "2023-11-14T22:13:20Z"}
    assert pdf == leaflet.build_bytes(leaflet.parse(MINIMAL))  # still the same bytes


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5", "99999999999999"])
def test_malformed_source_date_epoch_is_an_error(value, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(leaflet.errors.UsageError, match="SOURCE_DATE_EPOCH"):
        leaflet.build_bytes(leaflet.parse(MINIMAL))


# -- write_atomic: only regular files are replaced; links are followed ---------------------

import os  # noqa: E402
import signal  # noqa: E402
import stat  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from leaflet.api import remove_stale_temporaries, write_atomic  # noqa: E402
from leaflet.cli import main  # noqa: E402
from leaflet.errors import OutputError  # noqa: E402
from tests.conftest import ROOT, SAMPLE  # noqa: E402


def test_write_replaces_a_regular_file_with_the_usual_permissions(tmp_path):
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")
    old = os.umask(0o022)
    try:
        write_atomic(target, b"new")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf"]


def test_a_link_is_followed_and_stays_a_link(tmp_path):
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "leaflet.pdf"
    real.write_bytes(b"old")
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["leaflet.pdf"]


def test_a_dangling_link_writes_its_target(tmp_path):
    link = tmp_path / "link.pdf"
    link.symlink_to(tmp_path / "later.pdf")
    write_atomic(link, b"new")
    assert link.is_symlink() and (tmp_path / "later.pdf").read_bytes() == b"new"


def test_a_named_pipe_is_not_replaced(tmp_path):
    fifo = tmp_path / "out.pdf"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match=r"out.pdf: it is a named pipe \(FIFO\); leaflet replaces only regular files"):
        write_atomic(fifo, b"%PDF")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_a_link_to_a_named_pipe_is_not_followed_into_replacing_it(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "out.pdf").symlink_to(fifo)
    with pytest.raises(OutputError, match=r"a link to .*pipe.*named pipe"):
        write_atomic(tmp_path / "out.pdf", b"%PDF")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_folder_is_not_replaced(tmp_path):
    (tmp_path / "out.pdf").mkdir()
    with pytest.raises(OutputError, match=r"out\.pdf: it is a folder"):
        write_atomic(tmp_path / "out.pdf", b"%PDF")


def devnull_state() -> tuple:
    st = os.lstat("/dev/null")
    return st.st_mode, st.st_ino, st.st_rdev


@pytest.fixture
def dev_untouchable(monkeypatch):
    """Even if the check under test is broken, nothing is created in or renamed onto /dev:
    os.open for writing, os.replace and os.rename fail the test first."""
    real_open, real_replace = os.open, os.replace

    def in_dev(path) -> bool:
        return os.path.realpath(os.fspath(path)).startswith("/dev/")

    def guarded_open(path, flags, *args, **kw):
        assert not (in_dev(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)), f"would write {path}"
        return real_open(path, flags, *args, **kw)

    def guarded_replace(src, dst, *args, **kw):
        assert not in_dev(dst), f"would replace {dst}"
        return real_replace(src, dst, *args, **kw)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "replace", guarded_replace)
    monkeypatch.setattr(os, "rename", guarded_replace)
    yield
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_dev_null_is_refused_as_a_target(dev_untouchable):
    before = devnull_state()
    assert stat.S_ISCHR(before[0])
    with pytest.raises(OutputError, match="/dev/null: it is a character device"):
        write_atomic("/dev/null", b"%PDF")
    assert devnull_state() == before


def test_schema_to_dev_null_is_refused_and_dev_null_stays_a_device(capsys, dev_untouchable):
    before = devnull_state()
    code = main(["schema", "-o", "/dev/null"])
    err = capsys.readouterr().err
    assert code == 1
    assert "leaflet: error: cannot write /dev/null: it is a character device; leaflet replaces only regular files" in err
    assert devnull_state() == before


def test_build_to_dev_null_is_refused(capsys, dev_untouchable):
    before = devnull_state()
    code = main(["build", str(SAMPLE), "-o", "/dev/null"])  # not .pdf: a usage error, before anything
    assert code == 1 and devnull_state() == before
    capsys.readouterr()


def test_stale_temporaries_of_dead_processes_are_removed(tmp_path):
    from leaflet.api import _host

    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(child.stdout)  # a process that has ended
    here = _host()
    stale = tmp_path / f".x.pdf.{here}-{dead}.0123abcd.leaflet-tmp"
    fresh = tmp_path / f".z.pdf.{here}-{dead}.0123abcd.leaflet-tmp"  # a dead process's, but just written
    mine = tmp_path / f".x.pdf.{here}-{os.getpid()}.0123abcd.leaflet-tmp"  # this process: still writing, maybe
    alive = tmp_path / f".y.pdf.{here}-{os.getppid()}.0123abcd.leaflet-tmp"
    elsewhere = tmp_path / f".x.pdf.{'0' * 6 if here != '0' * 6 else '1' * 6}-{dead}.0123abcd.leaflet-tmp"
    other = tmp_path / f".x.pdf.{dead}.tmp"  # not a name of ours
    for p in (stale, fresh, mine, alive, elsewhere, other):
        p.write_bytes(b"partial")
        if p is not fresh:
            os.utime(p, (time.time() - 3600, time.time() - 3600))
    write_atomic(tmp_path / "x.pdf", b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["x.pdf", fresh.name, mine.name, alive.name, elsewhere.name, other.name])
    assert remove_stale_temporaries(tmp_path) == []


# -- signals: a build stopped while writing leaves no temporary file ------------------------

SLOW_WRITE = """
import os, sys, time
marker = sys.argv[1]
def slow_fsync(fd):
    open(marker, "w").close()
    time.sleep(60)
os.fsync = slow_fsync
if sys.argv[2] == "cli":
    from leaflet.cli import main
    sys.exit(main(["build", sys.argv[3], "-o", sys.argv[4]]))
from leaflet.api import write_atomic
write_atomic(sys.argv[4], b"%PDF-1.4 partial")
"""


def _signals_as_a_terminal_gives_them() -> None:
    """The build under test starts with SIGINT and SIGHUP at their default actions, as from a
    terminal: a suite run under nohup, or as a background job of a shell, passes them on ignored
    (and then the build rightly ignores them too, and this test would wait for nothing)."""
    for signum in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)


@pytest.mark.parametrize("mode, signum, status", [
    ("cli", signal.SIGTERM, 128 + signal.SIGTERM), ("cli", signal.SIGINT, 128 + signal.SIGINT),
    ("cli", signal.SIGHUP, 128 + signal.SIGHUP), ("api", signal.SIGTERM, -signal.SIGTERM),
])
def test_signal_while_writing_leaves_no_temporary_file(mode, signum, status, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    marker = tmp_path / "writing"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITE, str(marker), mode, str(SAMPLE), str(out / "x.pdf")],
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_signals_as_a_terminal_gives_them)
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert proc.poll() is None, f"ended before writing: {proc.communicate()[1]}"
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.02)
    assert [p.suffix for p in out.iterdir()] == [".leaflet-tmp"]  # the temporary file exists now
    proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"the signal did not stop the build: {proc.communicate()[1]}")
    assert proc.returncode == status, err
    assert list(out.iterdir()) == []  # no temporary file, no partial PDF
    assert "Traceback" not in err


def test_a_nul_in_a_file_name_is_a_clean_error(tmp_path):
    with pytest.raises(OutputError, match="NUL"):
        write_atomic(f"{tmp_path}/a\0b.pdf", b"%PDF")
    with pytest.raises(leaflet.ContentError) as info:
        leaflet.load(f"{tmp_path}/a\0b.yaml")
    assert info.value.diagnostics[0].code == "input"


def test_an_unknown_paper_size_from_python_is_a_clean_error():
    with pytest.raises(leaflet.errors.UsageError, match="paper 'a3' is not one of: a4, letter, a5"):
        leaflet.build_bytes(leaflet.parse(MINIMAL), paper="a3")


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o600
