"""Fuzz validate and build: every outcome must be "ok and builds" or a ContentError.

    .venv/bin/python tools/fuzz.py [--seed N] [--cases N] [--show]

Mutates the sample leaflet, the fixtures of tests/fixtures/ and the files of tests/bad/ (at the level of the
YAML text and of the loaded data, with hostile strings), then runs what
``leaflet validate`` runs (load + the glyph check) and what ``leaflet build``
runs (``build_bytes``) on each. It reports, by kind:

- ``crash``: any exception other than a ContentError (a bug: a traceback or
  "internal error" for a user);
- ``build-only``: validate says ok but build reports a ContentError (validate and
  build disagree);
- ``layout``: validate says ok but build reports a layout limit (a too-tall heading or
  cell, too many columns: a clear error with its place, but found only when building);

and exits 1 when it finds a crash. ``tests/test_fuzz.py`` runs a few cases of
this with a fixed seed as part of the suite.
"""
from __future__ import annotations

import argparse
import random
import sys
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import leaflet  # noqa: E402
from leaflet.content import loader  # noqa: E402
from leaflet.errors import ContentError, RenderError  # noqa: E402

SAMPLE = ROOT / "content" / "baclofen" / "en.yaml"
BAD = ROOT / "tests" / "bad"

# Strings that have broken, or could break, something between the loader and the PDF.
HOSTILE = [
    "**", "***", "****", "** **", "**a**b**", "\\", "a\\", "\\*", "\\**", "**a\\**", "*\\**", "**\\*",
    "**a\n\nb**", "a\n\n**b", "**a**\n\n**b**", "\u202e51\u202c mg", "\u202a", "\u2066x\u2069", "\u200e",
    "\u200f", "\u061c", "\u200b", "\ufeff", "\u2060", "\u00ad", "\u200b\u200b", "\x00", "a\x00b", "\t",
    "1.0\tbeta", "\n", "a\nb", "\n\n\n", "\r", "\u2028", "\u2029", "\u0085", "\x0c", "\x1b[31m", "\x07",
    "<b>x</b>", "&amp;", "&", "<", "<font name='x'>y</font>", "<br/>", "]]>", "%s", "{0}", "{title}",
    "{", "}", "\u0301", "e\u0301", "ﬁ", "😀", "中文", "Ω", "\u00a0", "\u3000", "\u2003x", " x ", "x" * 500,
    ("word " * 2000).strip(), "-", "•", "1.", "#", "'", '"', "\\n", "\ud800", "a\udfffb",
    "\u2800", "\u3164", "\U000e0041", "\ufffe", "\uffff", "\U0010ffff",
]


def _schema_keys() -> list[str]:
    from leaflet.content.schema import json_schema

    keys: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            keys.update(node.get("properties", {}) if isinstance(node.get("properties"), dict) else ())
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json_schema())
    return sorted(keys)


KNOWN_KEYS = _schema_keys()


def hostile(rng: random.Random) -> str:
    s = rng.choice(HOSTILE)
    if rng.random() < 0.3:
        s = f"Take {s} daily" if rng.random() < 0.5 else s + rng.choice(HOSTILE)
    return s


# -- mutations of the loaded data -------------------------------------------------

def _paths(data: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(_paths(v, path + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(_paths(v, path + (i,)))
    return out


def _get(data: Any, path: tuple) -> Any:
    for p in path:
        data = data[p]
    return data


def mutate_data(data: Any, rng: random.Random) -> Any:
    import copy

    data = copy.deepcopy(data)
    if rng.random() < 0.6:  # one text changed: mostly valid files, so that build runs too
        texts = [p for p in _paths(data) if p and isinstance(_get(data, p), str)]
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(texts)
            _get(data, path[:-1])[path[-1]] = hostile(rng)
        return data
    for _ in range(rng.randint(1, 4)):
        paths = _paths(data)
        path = rng.choice(paths[1:]) if len(paths) > 1 else ()
        if not path:
            continue
        parent, key = _get(data, path[:-1]), path[-1]
        value = parent[key]
        op = rng.random()
        if isinstance(value, str) or op < 0.45:
            parent[key] = hostile(rng) if rng.random() < 0.8 else rng.choice([None, [], {}, [hostile(rng)]])
        elif op < 0.6 and isinstance(parent, dict):
            del parent[key]
        elif op < 0.75 and isinstance(value, list) and value:
            value.extend(copy.deepcopy(value[:rng.randint(1, len(value))]) * rng.randint(1, 5))
        elif op < 0.85 and isinstance(value, list):
            parent[key] = value[: rng.randint(0, len(value))]
        elif isinstance(value, dict) and rng.random() < 0.5:  # a key the format knows, with an odd value
            value[rng.choice(KNOWN_KEYS)] = rng.choice([hostile(rng), "2", "true", "0", None, [], {}, [hostile(rng)]])
        elif isinstance(value, dict) and value:
            k = rng.choice(list(value))
            value[k + rng.choice(["", "x", "_"])] = hostile(rng)
        else:
            parent[key] = hostile(rng)
    return data


def dump(data: Any) -> str:
    return yaml.dump(data, allow_unicode=True, sort_keys=False, width=10_000, default_style='"')


# -- mutations of the YAML text -------------------------------------------------------

def mutate_text(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        i = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [hostile(rng)]
        elif op < 0.3:
            line = lines[i]
            at = rng.randint(0, len(line))
            piece = rng.choice(HOSTILE + [":", ": ", "- ", "[", "]", "{", "}", "&a", "*a", "!!str", "!x", "|", ">",
                                          "\t", "  ", "#", "'", '"', "---", "..."])
            lines[i] = line[:at] + piece + line[at:]
        elif op < 0.45:
            del lines[i]
        elif op < 0.6:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op < 0.7:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op < 0.85:
            line = lines[i]
            if line:
                at = rng.randrange(len(line))
                lines[i] = line[:at] + line[at + 1:]
        else:
            lines[i] = "  " + lines[i] if rng.random() < 0.5 else lines[i].lstrip()
    return "\n".join(lines)


# -- running ------------------------------------------------------------------------------

def outcome(text: str) -> tuple[str, str]:
    """('ok' | 'invalid' | 'build-only' | 'crash', detail)."""
    try:
        doc = leaflet.parse(text, "fuzz.yaml")
        leaflet.api.check(doc)
    except ContentError:
        validate_ok = False
    except Exception as exc:  # noqa: BLE001 - what the fuzzer looks for
        return "crash", f"validate: {type(exc).__name__}: {exc}\n{traceback.format_exc()}"
    else:
        validate_ok = True
    try:
        leaflet.build_bytes(leaflet.parse(text, "fuzz.yaml"))
    except ContentError as exc:
        if validate_ok:
            codes = {d.code for d in exc.diagnostics}
            kind = "layout" if codes <= {"layout", "table"} else "build-only"  # layout limits are found by building
            return kind, f"[{','.join(sorted(codes))}] {exc.diagnostics[0]}"
        return "invalid", ""
    except RenderError as exc:  # a layout limit (a too-tall cell …): reported by the command line, exit 1
        return "layout", f"{exc}"
    except Exception as exc:  # noqa: BLE001
        return "crash", f"build: {type(exc).__name__}: {exc}\n{traceback.format_exc()}"
    if not validate_ok:
        return "crash", "validate reported problems but build succeeded"
    return "ok", ""


def cases(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    sample = SAMPLE.read_text(encoding="utf-8")
    fixtures = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))]
    bases = [sample, *fixtures] + [p.read_text(encoding="utf-8", errors="replace") for p in sorted(BAD.glob("*.yaml"))]
    valid = [loader.parse(text, "base").data for text in [sample, *fixtures]]
    out = []
    for _ in range(count):
        r = rng.random()
        if r < 0.6:
            out.append(dump(mutate_data(rng.choice(valid), rng)))
        elif r < 0.85:
            out.append(mutate_text(rng.choice([sample, *fixtures]), rng))
        else:
            out.append(mutate_text(rng.choice(bases), rng))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--show", action="store_true", help="print every failing case's YAML")
    args = ap.parse_args()
    kinds: Counter[str] = Counter()
    seen: set[str] = set()
    for n, text in enumerate(cases(args.seed, args.cases)):
        kind, detail = outcome(text)
        kinds[kind] += 1
        if kind in ("crash", "build-only", "layout"):
            first = detail.splitlines()[0] if detail else ""
            if first not in seen:
                seen.add(first)
                shown = detail if kind == "crash" else first
                print(f"--- case {n}: {kind}: {shown if len(shown) < 2000 else shown[:2000] + ' …'}")
                if args.show:
                    print(text)
    print(dict(kinds))
    return 1 if kinds["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
