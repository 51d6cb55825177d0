"""The sample leaflet's translations (content/baclofen/<lang>.yaml) say what en.yaml says.

Each translation is read with leaflet's own loader and model (so every content rule runs) and
compared with the English, text by text:

- the same structure: every part of the model (sections, block kinds, list items, callout and
  precaution parts, table rows and cells, Q&A) in the same places, and every value that does not
  print (severity, frequency, columns, ids, options, dates, editorial notes) unchanged;
- the same doses: in each text the same numbers, each with the same unit, spelled the way the
  language writes it (UNITS);
- the same markup: the same number of **bold** runs and the same [[id]] references in each text;
- every text translated (none identical to the English, except the words the two languages
  share, listed per language), and no known false friend (Spanish "once" is "eleven").

The machine-translation status and the translation block are checked too. Building and verifying
each language is in test_samples_build.py (a language builds once its locale and fonts exist).
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec
import pytest

import leaflet
from leaflet.cli import main
from leaflet.text.inline import parse_runs, references
from leaflet.text.printed import iter_texts

FOLDER = Path(__file__).resolve().parent.parent / "content" / "baclofen"
LANGUAGES = ["es", "de", "fr", "ru", "ar", "he", "zh", "ja"]

# the unit of each English dose, as each language spells it (helper E1's `leaflet check` normalises
# the same spellings)
UNITS: dict[str, dict[str, str]] = {
    "es": {"mg": "mg"}, "de": {"mg": "mg"}, "fr": {"mg": "mg"}, "ru": {"mg": "мг"},
    "ar": {"mg": "ملغ"}, "he": {"mg": "מ״ג"}, "zh": {"mg": "毫克"}, "ja": {"mg": "mg"},
}
# texts that may be the same as the English: the brand, the revision, and words both languages share
SAME_AS_ENGLISH: dict[str, set[str]] = {
    "de": {"Baclofen", "Details"},
    "fr": {"Fatigue", "Conclusion"},
}
ALWAYS_SAME = {"Lioresal", "2026-11-23", "1.0"}
# a number (digits, with a decimal point or comma) and the unit written after it, if any
NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)[ \u00a0\u202f]?(mg|мг|ملغ|מ״ג|毫克)?")
FALSE_FRIENDS = {"es": re.compile(r"\bonce\b", re.IGNORECASE)}
# fields of the whole leaflet a translation sets for itself
OWN_FIELDS = {"language", "status", "translation"}


def load(language: str) -> leaflet.Document:
    return leaflet.load(FOLDER / f"{language}.yaml")


@pytest.fixture(scope="module")
def english() -> leaflet.Document:
    return load("en")


def printed(doc: leaflet.Document) -> dict[tuple[Any, ...], str]:
    return dict(iter_texts(doc.leaflet))


def doses(text: str, units: dict[str, str] | None = None) -> Counter[tuple[str, str]]:
    """The numbers of a text with their units (English units mapped through ``units``)."""
    found: Counter[tuple[str, str]] = Counter()
    for number, unit in NUMBER.findall(text):
        found[(number.replace(",", "."), units.get(unit, unit) if units and unit else unit)] += 1
    return found


def differences(en: Any, tr: Any, printed_paths: set[tuple[Any, ...]], path: tuple[Any, ...] = ()) -> list[str]:
    """Where the translation's model differs in shape from the English, or changes a value that
    does not print."""
    if isinstance(en, dict) and isinstance(tr, dict):
        keys = set(en) | set(tr)
        if not path:
            keys -= OWN_FIELDS
        out = []
        for key in sorted(keys, key=str):
            if key not in en or key not in tr:
                out.append(f"{'.'.join(map(str, (*path, key)))}: only in {'en' if key in en else 'the translation'}")
            else:
                out += differences(en[key], tr[key], printed_paths, (*path, key))
        return out
    if isinstance(en, list) and isinstance(tr, list):
        if len(en) != len(tr):
            return [f"{'.'.join(map(str, path))}: {len(en)} items in en, {len(tr)} in the translation"]
        return [d for i, (a, b) in enumerate(zip(en, tr)) for d in differences(a, b, printed_paths, (*path, i))]
    if type(en) is not type(tr):
        return [f"{'.'.join(map(str, path))}: {type(en).__name__} in en, {type(tr).__name__} in the translation"]
    if isinstance(en, str) and path in printed_paths:
        return []
    return [] if en == tr else [f"{'.'.join(map(str, path))}: {en!r} in en, {tr!r} in the translation"]


def model_paths(doc: leaflet.Document) -> set[tuple[Any, ...]]:
    """The printed texts' paths as they stand in the model's builtins (field names, not YAML keys)."""
    data = msgspec.to_builtins(doc.leaflet)
    out = set()
    for path, _text in iter_texts(doc.leaflet):
        # iter_texts names YAML keys (`class`); the builtins use the model's field names
        out.add(tuple(_field(data, path)))
    return out


def _field(data: Any, path: tuple[Any, ...]) -> list[Any]:
    out: list[Any] = []
    for step in path:
        if isinstance(data, dict) and step not in data:
            step = {"class": "drug_class"}.get(step, step)
        out.append(step)
        data = data[step]
    return out


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translation_says_where_it_comes_from(language: str) -> None:
    tr = load(language).leaflet
    assert tr.language == language
    assert tr.status == "machine-translation"  # every page carries the unreviewed banner
    assert tr.translation.source == "en.yaml"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_structure_and_unprinted_values(english: leaflet.Document, language: str) -> None:
    tr = load(language)
    problems = differences(msgspec.to_builtins(english.leaflet), msgspec.to_builtins(tr.leaflet), model_paths(english))
    assert not problems, "\n".join(problems)
    assert list(printed(tr)) == list(printed(english))  # the same texts in the same places


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_doses_and_markup_in_every_text(english: leaflet.Document, language: str) -> None:
    en, tr = printed(english), printed(load(language))
    problems = []
    for path, text in tr.items():
        source = en[path]
        where = ".".join(map(str, path))
        if doses(text) != doses(source, UNITS[language]):
            problems.append(f"{where}: numbers {sorted(doses(text).elements())} but the English has "
                            f"{sorted(doses(source, UNITS[language]).elements())}: {text!r}")
        if sum(r.bold for r in parse_runs(text)) != sum(r.bold for r in parse_runs(source)):
            problems.append(f"{where}: bold runs differ from the English: {text!r}")
        if sorted(r for r, _ in references(text)) != sorted(r for r, _ in references(source)):
            problems.append(f"{where}: section references differ from the English: {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_translated(english: leaflet.Document, language: str) -> None:
    en, tr = printed(english), printed(load(language))
    allowed = ALWAYS_SAME | SAME_AS_ENGLISH.get(language, set())
    same = [f"{'.'.join(map(str, p))}: {t!r}" for p, t in tr.items() if t == en[p] and t not in allowed]
    assert not same, "left in English:\n" + "\n".join(same)
    friend = FALSE_FRIENDS.get(language)
    if friend:
        assert not [t for t in tr.values() if friend.search(t)], f"false friend {friend.pattern} in {language}"


def test_the_check_fails_a_doctored_translation(english: leaflet.Document, tmp_path: Path) -> None:
    """The checks above can fail: a changed dose, a dropped bullet, a changed unit and an English
    paragraph are each found."""
    text = (FOLDER / "es.yaml").read_text(encoding="utf-8")
    en = printed(english)

    def doctored(old: str, new: str) -> leaflet.Document:
        assert old in text
        path = tmp_path / "es.yaml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return leaflet.load(path)

    dose = printed(doctored("80\u00a0mg", "60\u00a0mg"))
    assert [p for p, t in dose.items() if doses(t) != doses(en[p], UNITS["es"])] == \
        [("sections", 2, "blocks", 2, "bullets", 1)]
    unit = printed(doctored("5\u00a0mg", "5\u00a0g"))
    assert [p for p, t in unit.items() if doses(t) != doses(en[p], UNITS["es"])] == \
        [("sections", 2, "blocks", 2, "bullets", 0)]
    dropped = doctored('          - "**Parálisis cerebral:**', '          # - "**Parálisis cerebral:**')
    assert list(printed(dropped)) != list(en)
    assert differences(msgspec.to_builtins(english.leaflet), msgspec.to_builtins(dropped.leaflet),
                       model_paths(english)) == ["sections.1.blocks.3.bullets: 3 items in en, 2 in the translation"]
    severity = doctored("severity: serious", "severity: common")
    assert differences(msgspec.to_builtins(english.leaflet), msgspec.to_builtins(severity.leaflet),
                       model_paths(english)) == ["sections.3.blocks.2.side_effects.severity: "
                                                 "'serious' in en, 'common' in the translation"]
    untranslated = printed(doctored('"Conclusión"', '"Conclusion"'))
    assert [p for p, t in untranslated.items() if t == en[p] and t not in ALWAYS_SAME] == [("sections", 6, "heading")]


def test_leaflet_check_passes_on_the_samples(capsys: pytest.CaptureFixture[str]) -> None:
    """helper E1's `leaflet check content/baclofen/` agrees: every translation matches en.yaml and
    records the fingerprint of the en.yaml it was made from."""
    code = main(["check", str(FOLDER)])
    out, err = capsys.readouterr()
    assert code == 0, err
    for language in LANGUAGES:
        assert f"{language}.yaml: agrees with " in out, out


def test_leaflet_check_fails_doctored_samples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same check on copies of the samples with a changed dose (ru), a dropped bullet (zh) and a
    Spanish "once" (es) fails, naming each file; the untouched ones still agree."""
    for path in FOLDER.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")

    def doctor(language: str, old: str, new: str) -> None:
        path = tmp_path / f"{language}.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")

    doctor("ru", "80\u00a0мг", "60\u00a0мг")
    doctor("zh", '          - "**脑性瘫痪：**一组影响运动技能和肌肉协调的疾病，常导致肌肉僵硬。"\n', "")
    doctor("es", "nunca tome dos dosis a la vez", "nunca tome dos dosis once")
    code = main(["check", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert {line.split(":", 1)[0].rsplit("/", 1)[-1] for line in err.splitlines() if "error[" in line} == \
        {"ru.yaml", "zh.yaml", "es.yaml"}, err
    for language in ("de", "fr", "ar", "he", "ja"):
        assert f"{language}.yaml: agrees with " in out
