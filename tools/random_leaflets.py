"""Random synthetic leaflets: build each and check that ``verify`` passes on the untouched PDF.

Every block kind is used (text, subheading, bullets and numbered lists — nested, in columns —
lines, tables with long cells and bulleted cells, key facts, callouts with ordered content,
precautions, questions and answers), with section references, numbering and the contents list,
on A4, Letter and in large print. A verify problem on an untouched PDF is a false alarm (or a
layout bug): the script prints the seed to reproduce it and writes its content to a file.

    .venv/bin/python tools/random_leaflets.py --cases 40 [--seed 1] [--out /tmp/random-leaflets]
        [--paper a5] [--theme large-print]

The seed picks each case's paper and theme (A4 or Letter, default or large print) unless
``--paper`` or ``--theme`` is given; the content is the same either way.

Content the rules reject and layout errors (a text too tall for a page) are counted, not failures.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import leaflet
from leaflet.cli import PAPERS
from leaflet.errors import ContentError, RenderError
from leaflet.resources import available_themes

WORDS = ("testamol", "tablet", "dose", "morning", "evening", "water", "doctor", "pharmacist", "take", "swallow",
         "whole", "daily", "mild", "headache", "rash", "dizzy", "sleepy", "stop", "call", "children", "store",
         "below", "carton", "label", "again", "missed", "extra", "kidney", "liver", "fictional", "lorem",
         "ipsum", "nausea", "breakfast", "glass", "hours", "weeks", "before", "after", "with", "without", "and",
         "or", "the", "a", "of", "to", "in", "if", "you", "your", "may", "can", "do", "not")
IDS = ("what", "before", "how", "effects", "store")


def words(rnd: random.Random, low: int, high: int, refs: bool = True) -> str:
    out = [rnd.choice(WORDS) for _ in range(rnd.randint(low, high))]
    if len(out) > 3 and rnd.random() < 0.2:
        i = rnd.randrange(len(out) - 1)
        out[i] = f"**{out[i]}"
        out[i + 1] = f"{out[i + 1]}**"
    if refs and len(out) > 2 and rnd.random() < 0.15:
        out.insert(rnd.randrange(len(out)), f"[[{rnd.choice(IDS)}]]")
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def long_text(rnd: random.Random) -> str:
    return words(rnd, 2, 12) if rnd.random() < 0.6 else words(rnd, 40, 400)


def items(rnd: random.Random, depth: int = 0, short: bool = False) -> list[Any]:
    """A list, nested up to three deep; ``short`` items (a list in columns) are a few words."""
    out: list[Any] = []
    for _ in range(rnd.randint(1, 7)):
        if depth < 2 and rnd.random() < 0.2:
            out.append({"text": words(rnd, 1, 10), "items": items(rnd, depth + 1, short)})
        else:
            out.append(words(rnd, 1, 6 if short else 25 if rnd.random() < 0.8 else 120))
    return out


def cell(rnd: random.Random) -> Any:
    if rnd.random() < 0.2:
        return {"text": long_text(rnd), "bullets": [words(rnd, 1, 8) for _ in range(rnd.randint(1, 4))]}
    return long_text(rnd)


def block(rnd: random.Random) -> dict[str, Any]:
    kind = rnd.choice(("text", "text", "subheading", "bullets", "numbered", "lines", "table", "table", "side_effects",
                       "precaution", "qa"))
    if kind == "text":
        return {"text": "\n\n".join(words(rnd, 5, 150) for _ in range(rnd.randint(1, 3)))}
    if kind == "subheading":
        return {"subheading": words(rnd, 1, 5, refs=False)}
    if kind in ("bullets", "numbered"):
        if rnd.random() < 0.4:
            return {kind: items(rnd, short=True), "columns": rnd.choice((2, 3))}
        return {kind: items(rnd)}
    if kind == "lines":
        return {"lines": [words(rnd, 1, 5, refs=False) for _ in range(rnd.randint(1, 4))]}
    if kind == "table":
        ncols = rnd.randint(2, 3)
        t: dict[str, Any] = {"rows": [[cell(rnd) for _ in range(ncols)] for _ in range(rnd.randint(1, 8))]}
        if rnd.random() < 0.8:
            t["header"] = [words(rnd, 1, 3, refs=False) for _ in range(ncols)]
        if rnd.random() < 0.3:
            t["caption"] = words(rnd, 3, 10)
        return {"table": t}
    if kind == "side_effects":
        severity = rnd.choice(("common", "serious"))
        se: dict[str, Any] = {"severity": severity}
        if rnd.random() < 0.6:
            se["title"] = words(rnd, 1, 5, refs=False)
        if rnd.random() < 0.3:
            se["frequency"] = rnd.choice(("very_common", "common", "uncommon", "rare", "very_rare", "not_known"))
        parts: list[dict[str, Any]] = []
        if severity == "serious":
            parts.append({"action": words(rnd, 3, 12)})
        for _ in range(rnd.randint(1, 5)):
            k = rnd.choice(("text", "action", "items", "items"))
            if k == "items" and rnd.random() < 0.3:
                parts.append({k: items(rnd, short=True), "columns": 2})
            else:
                parts.append({k: items(rnd) if k == "items" else words(rnd, 3, 60)})
        rnd.shuffle(parts)
        if all("action" in part for part in parts):
            parts.append({"items": items(rnd)})
        se["content"] = parts
        return {"side_effects": se}
    if kind == "precaution":
        if rnd.random() < 0.5:
            return {"precaution": {"title": words(rnd, 1, 5, refs=False), "text": words(rnd, 5, 80),
                                   "items": items(rnd)}}
        pparts: list[dict[str, Any]] = []
        for _ in range(rnd.randint(1, 5)):
            k = rnd.choice(("text", "subheading", "items"))
            if k == "subheading":  # a sub-heading heads the part after it
                pparts.append({k: words(rnd, 1, 4, refs=False)})
                k = rnd.choice(("text", "items"))
            pparts.append({k: items(rnd) if k == "items" else words(rnd, 3, 60)})
        return {"precaution": {"title": words(rnd, 1, 5, refs=False), "content": pparts}}
    return {"qa": {"question": words(rnd, 3, 12) + "?", "answer": words(rnd, 5, 120)}}


def random_leaflet(rnd: random.Random) -> dict[str, Any]:
    sections = []
    for n in range(rnd.randint(2, 6)):
        blocks = [block(rnd) for _ in range(rnd.randint(1, 8))]
        if "subheading" in blocks[-1]:
            blocks.append({"text": words(rnd, 3, 30)})
        section: dict[str, Any] = {"heading": words(rnd, 1, 6, refs=False).rstrip("."), "blocks": blocks}
        if n < len(IDS):
            section["id"] = IDS[n]
        sections.append(section)
    used = {s["id"] for s in sections if "id" in s}
    text = json.dumps(sections)
    for i in IDS:  # a reference to a section the leaflet does not have: to one it has
        if i not in used:
            text = text.replace(f"[[{i}]]", f"[[{IDS[0]}]]")
    name = "Testamol " + rnd.choice(("500 mg tablets", "oral solution"))
    data: dict[str, Any] = {"language": "en", "medicine": {"name": name},
                            "revision": {"date": "2026-01-02", "version": "1.0"}, "sections": json.loads(text),
                            "options": {"number_sections": rnd.random() < 0.5, "contents": rnd.random() < 0.5}}
    if rnd.random() < 0.5:
        data["medicine"]["brands"] = ["Testamol", "Fictamol"][: rnd.randint(1, 2)]
    if rnd.random() < 0.5:
        data["key_facts"] = {"rows": [{"label": words(rnd, 1, 3, refs=False), "value": long_text(rnd).replace("[[", "")}
                                      for _ in range(rnd.randint(1, 5))]}
    if rnd.random() < 0.3:
        data["intro"] = [block(rnd) for _ in range(rnd.randint(1, 2))]
    return data


def case(case_seed: int, paper: str | None = None, theme: str | None = None
         ) -> tuple[str, str, str, leaflet.Document, bytes]:
    """One random leaflet, built: (content, paper, theme, document, PDF), on the paper and theme
    given, or on one the seed picks. Raises ContentError or RenderError for content the rules or
    the layout refuse."""
    rnd = random.Random(case_seed)
    data = random_leaflet(rnd)
    picked = rnd.choice((("a4", "default"), ("letter", "default"), ("a4", "large-print"), ("letter", "large-print")))
    paper, theme = paper or picked[0], theme or picked[1]
    text = json.dumps(data, indent=1)
    doc = leaflet.parse(text, f"random-{case_seed}.yaml")
    return text, paper, theme, doc, leaflet.build_bytes(doc, paper=paper, theme=theme)


def run(seed: int, cases: int, out: Path | None = None, paper: str | None = None,
        theme: str | None = None) -> tuple[int, int, int, list[str]]:
    """(built, rejected content, layout errors, failures: one line each)."""
    built = rejected = layout = 0
    failures: list[str] = []
    for n in range(cases):
        case_seed = seed * 100_003 + n
        try:
            text, on, style, doc, pdf = case(case_seed, paper, theme)
        except ContentError:
            rejected += 1
            continue
        except RenderError:
            layout += 1
            continue
        built += 1
        problems = leaflet.verify(doc, pdf)
        if problems:
            failures.append(f"case {case_seed} ({on}, {style}): {len(problems)} problems; first: {problems[0]}")
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / f"random-{case_seed}.yaml").write_text(text, encoding="utf-8")
                (out / f"random-{case_seed}-{on}-{style}.pdf").write_bytes(pdf)
    return built, rejected, layout, failures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("/tmp/random-leaflets"), help="where failing cases are written")
    ap.add_argument("--paper", choices=PAPERS, help="build every case on this paper (default: the seed picks)")
    ap.add_argument("--theme", choices=available_themes(), help="build every case in this theme (default: the seed picks)")
    args = ap.parse_args()
    start = time.perf_counter()
    built, rejected, layout, failures = run(args.seed, args.cases, args.out, args.paper, args.theme)
    for line in failures:
        print(line)
    print(f"{args.cases} cases: {built} built, {rejected} rejected by the rules, {layout} layout errors, "
          f"{len(failures)} failed verify ({time.perf_counter() - start:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
