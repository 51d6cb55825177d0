"""Shared state in one process: the shaping cache is bounded (memory flat over a batch of
thousands of distinct names), and builds in several threads at once give the bytes a build alone
gives (an Arabic and an English leaflet built at once in two threads once differed: the fonts'
ASCII-readable role, a flag on the font object that both share, was the other thread's)."""
from __future__ import annotations

import hashlib
import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from reportlab.pdfbase import pdfmetrics

import leaflet
from leaflet import api
from leaflet.typeset import shaping
from leaflet.typeset.fonts import fonts_for

from .conftest import ROOT

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def words(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 9))) for _ in range(n)]


def test_the_shaping_cache_keeps_at_most_max_shaped_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    arabic = fonts_for("Arab").regular
    monkeypatch.setattr(shaping, "_SHAPED", shaping.OrderedDict())
    monkeypatch.setattr(shaping, "MAX_SHAPED", 300)
    names = words(2000)
    first = {w: shaping.shape(arabic, w, 0, len(w), True) for w in names[:50]}
    kept = shaping.shape(arabic, names[0], 0, len(names[0]), True)  # used again: the most recent
    for w in names:
        shaping.shape(arabic, w, 0, len(w), True)
        assert len(shaping._SHAPED) <= 300
    assert len(shaping._SHAPED) == 300
    assert (arabic, names[-1], 0, len(names[-1]), True) in shaping._SHAPED  # the newest are kept
    assert (arabic, names[1], 0, len(names[1]), True) not in shaping._SHAPED  # the oldest went
    assert kept is first[names[0]]
    # a run shaped again after it left the cache is the same glyphs, the same codes
    assert all(shaping.shape(arabic, w, 0, len(w), True) == glyphs for w, glyphs in first.items())


def test_the_default_bound_holds_every_word_of_a_leaflet(monkeypatch: pytest.MonkeyPatch) -> None:
    # the sample in Arabic and Hebrew shapes far fewer runs than the bound: a leaflet's own words
    # are never pushed out by each other, only by a long batch's names
    monkeypatch.setattr(shaping, "_SHAPED", shaping.OrderedDict())
    api.build_bytes(leaflet.load(ROOT / "content" / "baclofen" / "ar.yaml"))
    api.build_bytes(leaflet.load(ROOT / "content" / "baclofen" / "he.yaml"))
    assert len(shaping._SHAPED) < shaping.MAX_SHAPED / 4


def test_a_fonts_role_is_the_document_of_its_own_thread() -> None:
    """FontSet.claim: Noto Sans is Latin's primary (ASCII-readable) and Arabic's fallback (not):
    each thread sees the role its own document gave it, whatever the other thread claimed since."""
    latin, arabic = fonts_for("Latn"), fonts_for("Arab")
    arabic.faces  # noqa: B018 - the fallbacks loaded, as a layout loads them
    noto = pdfmetrics.getFont(latin.regular)
    assert noto.fontName in {f for face in arabic.faces for f in (face.regular, face.bold)}
    seen: dict[str, list[bool]] = {"latin": [], "arabic": []}
    claimed = threading.Barrier(2)

    def draw(which: str, fonts: object) -> None:
        fonts.claim()  # type: ignore[attr-defined]
        claimed.wait()  # both have claimed: the other's role came after this one's, or before
        for _ in range(3):
            seen[which].append(noto._asciiReadable)
            claimed.wait()

    threads = [threading.Thread(target=draw, args=("latin", latin)), threading.Thread(target=draw, args=("arabic", arabic))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"latin": [True] * 3, "arabic": [False] * 3}


def test_builds_in_threads_give_the_bytes_of_a_build_alone() -> None:
    """en, ar and he built at once in 4 threads, each the bytes it has built alone (the report:
    an Arabic PDF differed when en and ar were built alternately in threads; benchmarks/threads.py
    runs 200 builds in 8 threads)."""
    docs = {lang: leaflet.load(ROOT / "content" / "baclofen" / f"{lang}.yaml") for lang in ("en", "ar", "he")}
    alone = {lang: hashlib.sha256(api.build_bytes(doc)).hexdigest() for lang, doc in docs.items()}
    order = ["en", "ar", "he"] * 4
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda lang: hashlib.sha256(api.build_bytes(docs[lang])).hexdigest(), order))
    assert got == [alone[lang] for lang in order]


def test_panels_stamped_in_threads_give_the_bytes_of_a_stamp_alone() -> None:
    """The panel's rows laid out are kept for the next prescription (typeset.panel's cache: a batch's
    rows are mostly the same); a laid-out paragraph is drawn on the canvas it is given *for the time
    of the draw* (ReportLab's Flowable.drawOn sets it on the paragraph), so one shared between threads
    once drew a row of one patient's panel on another's canvas. Prescriptions sharing their pharmacy,
    prescriber and medicine, stamped at once in 4 threads (into one Template and into others), give
    the bytes each gives alone."""
    import sys

    import msgspec

    from leaflet.personal import rxfile

    base = rxfile.load(ROOT / "examples" / "prescription.yaml")
    rxs = [msgspec.structs.replace(base, patient=f"Patient Number {i}", rx_number=f"RX-{i:07d}") for i in range(8)]
    doc = leaflet.load(ROOT / "content" / "baclofen" / "en.yaml")
    shared = api.template(doc)  # one template for all the threads (its layouts kept under a lock) ...
    own = [api.template(doc) for _ in range(2)]  # ... and some of their own
    alone = [hashlib.sha256(api.stamp_personalised(shared, rx)).hexdigest() for rx in rxs]
    templates = [shared, shared, *own]
    work = [(i % 4, n % len(rxs)) for i, n in enumerate(range(96))]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns often: the race, if any, shows
    try:
        with ThreadPoolExecutor(4) as pool:
            got = list(pool.map(lambda w: hashlib.sha256(api.stamp_personalised(templates[w[0]], rxs[w[1]])).hexdigest(),
                                work))
    finally:
        sys.setswitchinterval(interval)
    assert got == [alone[n] for _, n in work]
