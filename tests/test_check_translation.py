"""leaflet check: a translation against its source (structure, numbers, false friends,
untranslated text, staleness). Doctored copies of the Testamol fixtures must each fail, with
the right code at the right place; the untouched ones must pass."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import leaflet
from leaflet.check import translation as tr
from leaflet.cli import main
from leaflet.i18n import numbers

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "translation"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for f in FIXTURES.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems(path: Path) -> list[leaflet.Diagnostic]:
    return [p.diagnostic for r in tr.check_paths([str(path)], leaflet.load) for p in r.problems]


def codes(path: Path) -> list[str]:
    return [d.code for d in problems(path)]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# --- the untouched translations agree ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "de", "ar"])
def test_untouched_translations_pass(tree, lang, capsys):
    assert problems(tree / f"{lang}.yaml") == []
    assert main(["check", str(tree / f"{lang}.yaml")]) == 0
    out = capsys.readouterr().out
    assert f"{lang}.yaml: agrees with" in out and "13 numbers" in out


def test_the_fixture_folder_passes(capsys):
    assert main(["check", str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    assert out.count("agrees with") == 3 and "en.yaml: a source" in out


def test_the_sample_translations_pass(capsys):
    """content/baclofen/: every translation there agrees with its source (exit 0)."""
    assert main(["check", str(ROOT / "content" / "baclofen")]) == 0, capsys.readouterr().err


# --- doctored translations fail -------------------------------------------------------------------


def test_a_changed_dose_fails_at_its_place(tree):
    es = tree / "es.yaml"
    edit(es, '"**Dosis inicial:** 2,5 mg dos veces al día."', '"**Dosis inicial:** 25 mg dos veces al día."')
    [d] = problems(es)
    assert d.code == "number"
    assert d.path == ("sections", 0, "blocks", 1, "bullets", 0)
    assert d.line == line_of(es, "Dosis inicial")
    line = es.read_text(encoding="utf-8").splitlines()[d.line - 1]
    assert line[d.column - 1:].startswith("25 mg")  # the column is the number's own
    assert "'2.5 mg' in the source is '25 mg' here" in d.message
    assert f"en.yaml:{line_of(tree / 'en.yaml', 'Starting dose')}:" in d.message  # where in the source


def test_a_changed_unit_fails(tree):
    es = tree / "es.yaml"
    edit(es, '- [De 6 a 11 años, "0,5 ml"]', '- [De 6 a 11 años, "0,5 mg"]')
    [d] = problems(es)
    assert d.code == "number" and d.path == ("sections", 0, "blocks", 2, "table", "rows", 0, 1)
    assert "the unit differs: ml and mg" in d.message


def test_a_dropped_bullet_fails(tree):
    es = tree / "es.yaml"
    edit(es, '          - "**Niños mayores de 6 años:** 0,5 ml del jarabe cada 8 horas."\n', "")
    [d] = problems(es)
    assert d.code == "structure" and d.path == ("sections", 0, "blocks", 1, "bullets")
    assert "2 items here, 3 in the source (1 missing" in d.message
    assert "missing: the source's item [1] ('**Children over 6 years:** 0.5 ml" in d.message
    assert f"en.yaml:{line_of(tree / 'en.yaml', 'Children over 6')}:" in d.message  # the source's item


def test_after_a_dropped_bullet_the_others_are_still_compared(tree):
    es = tree / "es.yaml"
    edit(es, '          - "**Niños mayores de 6 años:** 0,5 ml del jarabe cada 8 horas."\n', "")
    edit(es, "No tome más de 1.000 mg en un día.", "No tome más de 100 mg en un día.")
    found = problems(es)
    assert [d.code for d in found] == ["structure"]  # the numbers no longer tell which item is missing
    edit(es, "No tome más de 100 mg en un día.", "No tome más de 1.000 mg en un día.")
    edit(es, "Consulte a su farmacéutico si tiene dudas.", "Ask your pharmacist if you are unsure.")
    found = problems(es)
    assert [(d.code, d.path) for d in found] == [
        ("structure", ("sections", 0, "blocks", 1, "bullets")),
        ("untranslated", ("sections", 0, "blocks", 1, "bullets", 1, "items", 0))]
    assert f"en.yaml:{line_of(tree / 'en.yaml', 'Ask your pharmacist')}:" in found[1].message  # item [2] there


def test_a_dropped_table_row(tree):
    de = tree / "de.yaml"
    edit(de, '            - [Ab 12 Jahren, "2,5 mg"]\n', "")
    found = problems(de)
    assert [(d.code, d.path) for d in found] == [
        ("structure", ("sections", 0, "blocks", 2, "table", "rows"))]
    assert "1 row here, 2 in the source" in found[0].message


def test_a_changed_block_kind_severity_and_reference(tree):
    es = tree / "es.yaml"
    edit(es, "severity: serious", "severity: common")
    edit(es, "vea [[dose]]", "vea la sección de la dosis")
    assert codes(es) == ["structure", "structure"]
    messages = " ".join(d.message for d in problems(es))
    assert 'severity is "common" here, "serious" in the source' in messages
    assert "refers to no section here, the source to [[dose]]" in messages


def test_an_extra_paragraph_fails(tree):
    es = tree / "es.yaml"
    edit(es, '"Tome Testamol con un vaso de agua, con o sin alimentos."',
         '"Tome Testamol con un vaso de agua.\\n\\nCon o sin alimentos."')
    [d] = problems(es)
    assert d.code == "structure" and "2 paragraphs here, 1 in the source" in d.message


def test_an_untranslated_paragraph_fails(tree):
    es = tree / "es.yaml"
    edit(es, '"Testamol es un medicamento ficticio para dolores inventados. Lea todo este prospecto antes de tomarlo."',
         '"Testamol is a fictional medicine for made-up aches. Read all of this leaflet before you take it."')
    [d] = problems(es)
    assert d.code == "untranslated" and d.path == ("intro", 0, "text")


def test_a_half_translated_text_fails(tree):
    es = tree / "es.yaml"
    edit(es, '"Tome Testamol con un vaso de agua, con o sin alimentos."',
         '"Tome Testamol with a glass of water, con o sin alimentos."')
    [d] = problems(es)
    assert d.code == "untranslated" and "'with a glass of water'" in d.message


def test_a_name_kept_inside_a_translated_sentence_is_not_untranslated(tree):
    name = "(Made Up Drug Agency of Fiction)"
    edit(tree / "en.yaml", "Take Testamol with a glass of water", f"Take Testamol {name} with a glass of water")
    edit(tree / "es.yaml", "Tome Testamol con un vaso de agua", f"Tome Testamol {name} con un vaso de agua")
    assert codes(tree / "es.yaml") == ["stale"]


def test_a_name_alone_in_a_text_is_not_untranslated_but_a_heading_is(tree):
    name = "    blocks:\n      - text: Made Up Clinic of Testing\n      - text: \"T"
    for f in ("en.yaml", "es.yaml"):
        edit(tree / f, "    blocks:\n      - text: \"T", name)
    assert codes(tree / "es.yaml") == ["stale"]
    edit(tree / "en.yaml", "heading: How to take Testamol", "heading: How To Take Testamol")
    edit(tree / "es.yaml", "heading: Cómo tomar Testamol", "heading: How To Take Testamol")
    assert set(codes(tree / "es.yaml")) == {"stale", "untranslated"}


def test_english_left_in_an_arabic_text_fails(tree):
    ar = tree / "ar.yaml"
    edit(ar, "- طفح جلدي مُختلَق ينتشر بسرعة", "- a made-up rash that spreads quickly")
    edit(ar, '"تناول تستامول مع كوب من الماء، مع الطعام أو بدونه."', '"تناول تستامول with a glass of water."')
    found = problems(ar)
    assert [d.code for d in found] == ["untranslated", "untranslated"]
    assert "'with a glass'" in found[0].message


def test_names_numbers_and_acronyms_may_stay(tree):
    # a cell holding only a name, a figure and an acronym is not "untranslated"
    for f in ("en.yaml", "es.yaml"):
        edit(tree / f, "- [12 ", "- [Fictolin CNS 12 ")
    edit(tree / "es.yaml", "Fictolin CNS 12 años o más", "Fictolin CNS 12 years and over")
    edit(tree / "en.yaml", "Fictolin CNS 12 years and over", "Fictolin CNS 12 years and over")
    assert sorted(codes(tree / "es.yaml")) == ["stale", "untranslated"]  # "years and over" is English
    edit(tree / "es.yaml", "Fictolin CNS 12 years and over", "Fictolin CNS 12")
    edit(tree / "en.yaml", "Fictolin CNS 12 years and over", "Fictolin CNS 12")
    main(["check", "--stamp", str(tree / "es.yaml")])
    assert codes(tree / "es.yaml") == []


def test_a_false_friend_fails(tree):
    es = tree / "es.yaml"
    edit(es, '"**Dosis inicial:** 2,5 mg dos veces al día."', '"**Dosis inicial:** 2,5 mg once al día."')
    [d] = problems(es)
    assert d.code == "false-friend" and "'once' is a false friend: 'once' is Spanish for eleven" in d.message
    line = es.read_text(encoding="utf-8").splitlines()[d.line - 1]
    assert line[d.column - 1:].startswith("once al día")
    assert "una vez" in d.hint


def test_once_meaning_eleven_is_not_a_false_friend(tree):
    for f, old, new in (("en.yaml", "Do not take more than 1,000 mg in one day.", "Do not take more than 11 tablets."),
                        ("es.yaml", "No tome más de 1.000 mg en un día.", "No tome más de once comprimidos.")):
        edit(tree / f, old, new)
    assert codes(tree / "es.yaml") == ["stale"]  # 11 and "once" agree; only the changed source
    edit(tree / "en.yaml", "language: en", "language: ar")  # a source in any language, with its own digits
    edit(tree / "en.yaml", "Do not take more than 11 tablets.", "Do not take more than ١١ tablets.")
    assert "false-friend" not in codes(tree / "es.yaml")


def test_arabic_indic_digits_that_disagree_fail(tree):
    ar = tree / "ar.yaml"
    edit(ar, '"**الجرعة الأولى:** ٢٫٥ ملغ مرتين يوميًا."', '"**الجرعة الأولى:** ٢٥ ملغ مرتين يوميًا."')
    [d] = problems(ar)
    assert d.code == "number" and "'2.5 mg' in the source is '٢٥ ملغ' here" in d.message


def test_extended_arabic_indic_and_full_width_digits_agree(tree):
    ar = tree / "ar.yaml"
    edit(ar, '"١٬٠٠٠ ملغ"', '"۱٬۰۰۰ ملغ"')  # Extended Arabic-Indic (Persian, Urdu) digits
    edit(ar, "٣٩٫٥ °م", "３９．５ °م")  # full-width
    assert problems(ar) == []


def test_english_decimals_in_german_read_as_german(tree):
    de = tree / "de.yaml"
    edit(de, '"1.000 mg"', '"1,000 mg"')  # a thousand in English, one (1,000) in German
    [d] = problems(de)
    assert d.code == "number" and "(1000 in the source, 1.000 as de reads it)" in d.message
    assert "decimal ','" in d.hint and "thousands '.'" in d.hint


def test_a_stale_source_names_the_changed_fields(tree):
    en = tree / "en.yaml"
    edit(en, '"Take Testamol with a glass of water, with or without food."',
         '"Take Testamol with a full glass of water, with or without food."')
    edit(en, "- Ask your pharmacist if you are unsure.", "- Ask your pharmacist or nurse if you are unsure.")
    for lang in ("es", "de", "ar"):
        found = problems(tree / f"{lang}.yaml")
        assert [(d.code, d.path) for d in found] == [
            ("stale", ("sections", 0, "blocks", 0, "text")),
            ("stale", ("sections", 0, "blocks", 1, "bullets", 2, "items", 0))], lang
    assert "now 'Take Testamol with a full glass" in found[0].message
    assert found[0].line == line_of(tree / "ar.yaml", "تناول تستامول مع كوب")  # at the translation's own field


def test_a_stale_source_with_a_removed_and_an_added_text(tree):
    en, es = tree / "en.yaml", tree / "es.yaml"
    edit(en, "      - text: \"Take Testamol with a glass of water, with or without food.\"\n", "")
    edit(es, "      - text: \"Tome Testamol con un vaso de agua, con o sin alimentos.\"\n", "")
    edit(en, "disclaimer: \"Fictional", "disclaimer: \"Entirely fictional")
    edit(es, "disclaimer: \"Contenido", "disclaimer: \"Todo contenido")
    found = problems(es)
    messages = [d.message for d in found]
    assert [d.code for d in found] == ["stale", "stale"]
    assert any("1 text was removed from the source" in m for m in messages)
    assert any("now 'Entirely fictional" in m for m in messages)


def test_a_missing_or_bad_fingerprint(tree):
    es = tree / "es.yaml"
    text = es.read_text(encoding="utf-8")
    fp_line = next(line for line in text.splitlines() if "fingerprint:" in line)
    es.write_text(text.replace(fp_line + "\n", ""), encoding="utf-8")
    [d] = problems(es)
    assert d.code == "fingerprint" and "records no fingerprint" in d.message and "--stamp" in d.hint
    es.write_text(text.replace(fp_line, '  fingerprint: "v1.abc.def"'), encoding="utf-8")
    [d] = problems(es)
    assert d.code == "fingerprint" and "not a fingerprint leaflet wrote" in d.message


def test_stamp_writes_the_fingerprint_and_keeps_the_rest(tree, capsys):
    es, de = tree / "es.yaml", tree / "de.yaml"
    original = es.read_text(encoding="utf-8")
    fp_line = next(line for line in original.splitlines() if "fingerprint:" in line)
    es.write_text(original.replace(fp_line + "\n", ""), encoding="utf-8")  # block style, no fingerprint
    edit(de, ', fingerprint: "', ', fingerprint: "v1.x', 1)  # flow style, a bad one
    assert main(["check", str(es), str(de)]) == 2
    assert main(["check", "--stamp", str(es), str(de)]) == 0
    out = capsys.readouterr().out
    assert "es.yaml: stamped" in out and "de.yaml: stamped" in out
    assert es.read_text(encoding="utf-8") == original  # the line comes back where it was
    assert "# Übersetzung" in de.read_text(encoding="utf-8")
    assert main(["check", str(tree)]) == 0
    # flow style without a fingerprint
    edit(de, "translation: {source: en.yaml, fingerprint: ", "translation: {source: en.yaml}\n#")
    assert main(["check", "--stamp", str(de)]) == 0
    assert "translation: {source: en.yaml, fingerprint: \"v1." in de.read_text(encoding="utf-8")
    before = de.read_bytes()
    assert main(["check", "--stamp", str(de)]) == 0  # current: nothing written
    assert de.read_bytes() == before


def test_stamp_refuses_a_translation_that_disagrees(tree):
    es = tree / "es.yaml"
    edit(tree / "en.yaml", "2.5 mg twice daily\"\n", "2.5 mg three times daily\"\n")  # a stale source ...
    edit(es, "2,5 mg dos veces al día\"\n", "25 mg dos veces al día\"\n")  # ... and a changed dose
    before = es.read_bytes()
    assert main(["check", "--stamp", str(es)]) == 2
    assert es.read_bytes() == before


def test_fingerprint_function(tree):
    src = leaflet.load(tree / "en.yaml")
    fp = tr.fingerprint(src)
    assert fp == tr.fingerprint(src.leaflet) and fp.startswith("v1.")
    total, each = tr.parse_fingerprint(fp)
    assert len(total) == 12
    assert len(each) == len(tr.texts(src.leaflet)) == 30
    assert tr.parse_fingerprint("v1.AAAA.AAA") is None
    # rewrapping a text in the YAML does not change it; a word does
    edit(tree / "en.yaml", "Take Testamol with a glass", "Take Testamol  with a glass")
    assert tr.fingerprint(leaflet.load(tree / "en.yaml")) == fp
    edit(tree / "en.yaml", "a glass", "one glass")
    assert tr.fingerprint(leaflet.load(tree / "en.yaml")) != fp


def test_check_translation_api(tree):
    src, es = leaflet.load(tree / "en.yaml"), leaflet.load(tree / "es.yaml")
    assert tr.check_translation(src, es) == []
    edit(tree / "es.yaml", "0,5 ml del jarabe", "5 ml del jarabe")
    [d] = tr.check_translation(src, leaflet.load(tree / "es.yaml"), stale=False)
    assert d.code == "number" and str(d).startswith(f"{tree / 'es.yaml'}:")


# --- the command line -------------------------------------------------------------------------------


def test_json_output(tree, capsys):
    edit(tree / "es.yaml", '"1.000 mg"', '"100 mg"')
    assert main(["check", "--json", str(tree)]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["version"] == 1 and out["ok"] is False
    assert [(f["file"].rsplit("/", 1)[1], f["role"], f["ok"]) for f in out["files"]] == [
        ("ar.yaml", "translation", True), ("de.yaml", "translation", True), ("en.yaml", "source", True),
        ("es.yaml", "translation", False)]
    [p] = out["problems"]
    assert set(p) == {"code", "file", "line", "column", "path", "message", "hint", "source"}
    assert p["code"] == "number" and p["path"] == "key_facts.rows[1].value"
    assert p["source"]["path"] == "key_facts.rows[1].value" and p["source"]["file"].endswith("en.yaml")
    assert main(["check", "--json", str(tree / "de.yaml")]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_text_output_and_exit_codes(tree, capsys):
    edit(tree / "es.yaml", '"1.000 mg"', '"100 mg"')
    assert main(["check", str(tree / "es.yaml")]) == 2
    err = capsys.readouterr().err
    first, hint = err.splitlines()[:2]
    assert first.startswith(f"{tree / 'es.yaml'}:{line_of(tree / 'es.yaml', '100 mg')}:")
    assert "error[number]: key_facts.rows[1].value: the numbers differ: '1,000 mg' in the source is '100 mg' here" in first
    assert hint.startswith("  hint: ")
    assert err.rstrip().endswith("1 problem in 1 file")


def test_a_missing_source_and_a_broken_file(tree, capsys):
    edit(tree / "es.yaml", "source: en.yaml", "source: missing.yaml")
    assert main(["check", str(tree / "es.yaml")]) == 2
    err = capsys.readouterr().err
    assert "error[translation-source]: translation.source: the source" in err and "missing.yaml is not there" in err
    (tree / "broken.yaml").write_text("language: es\nmedicine: [\n", encoding="utf-8")
    assert main(["check", str(tree / "broken.yaml")]) == 2
    assert "error[yaml-syntax]" in capsys.readouterr().err
    edit(tree / "en.yaml", "language: en", "language: en\nlanguage: en")
    assert main(["check", str(tree / "de.yaml")]) == 2
    assert "the source" in capsys.readouterr().err


def test_usage_errors(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 1
    assert "holds no leaflet files" in capsys.readouterr().err
    assert main(["check", "-"]) == 1
    assert main(["check", str(tmp_path / "nothing.yaml")]) == 2
    assert "error[input]" in capsys.readouterr().err


# --- reading numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, language, expected", [
    ("1.000 mg", "de", ["1000 mg"]),
    ("1,000 mg", "en", ["1000 mg"]),
    ("1,000 mg", "de", ["1.000 mg"]),
    ("0,5 ml", "es", ["0.5 ml"]),
    ("0.5 ml", "de", ["0.5 ml"]),  # a decimal point where German has a comma: still a half
    ("1 000 mg", "fr", ["1000 mg"]),
    ("1\u202f000 mg", "fr", ["1000 mg"]),
    ("1\u00a0000 мг", "ru", ["1000 mg"]),
    ("2 100 mg", "en", ["2", "100 mg"]),
    ("1'000 mg", "de-CH", ["1000 mg"]),
    ("٢٫٥ ملغ", "ar", ["2.5 mg"]),
    ("١٬٠٠٠ ملغ", "ar", ["1000 mg"]),
    ("۵ مل", "fa", ["5 ml"]),
    ("５ｍｇ、０．５％", "ja", ["5 mg", "0.5 %"]),
    ("1日3回5毫克", "zh", ["1 day", "3", "5 mg"]),
    ('5 מ"ג', "he", ["5 mg"]),
    ("5 מ״ל", "he", ["5 ml"]),
    ("10 mg/kg", "en", ["10 mg/kg"]),
    ("23.11.2026", "de", ["23", "11", "2026"]),
    ("5 mgx", "en", ["5"]),
    ("every 8 hours", "en", ["8 hour"]),
    ("5.0 mg", "en", ["5.0 mg"]),  # a trailing zero is kept: 5.0 is not written 5
    ("½ tablet, 1½ ml, ¾", "en", ["0.5", "1.5 ml", "0.75"]),
    ("每1万人中有1人，1.5万，１，０００毫克", "zh", ["10000", "1", "15000", "1000 mg"]),
    ("2億", "ja", ["200000000"]),
    ("\u2066٥ ملغ\u2069 و\u2067\u20665 mg\u2069", "ar", ["5 mg", "5 mg"]),  # bidi isolates around a dose
    ("1,500 mg", "es", ["1.500 mg"]),  # one and a half to a Spanish reader, not 1500
    ("25 °C, 25 °С, 25℃, ٢٥ °م, 77 °F", "ru", ["25 °C", "25 °C", "25 °C", "25 °C", "77 °F"]),
])
def test_quantities(text, language, expected):
    assert [q.shown for q in numbers.quantities(text, language)] == expected


def test_compare_numbers():
    assert numbers.compare("5 mg three times daily", "en", "1日3回5mg", "ja").agree
    assert numbers.compare("5 to 10 mg", "en", "5 mg à 10 mg", "fr").agree
    assert not numbers.compare("5 mg", "en", "5 g", "fr").agree
    assert not numbers.compare("5 mg", "en", "5 mg o 10 mg", "es").agree
    assert not numbers.compare("for 3 days", "en", "durante 3 semanas", "es").agree
    assert numbers.compare("for three days", "en", "durante 3 días", "es").agree
    assert not numbers.compare("take five", "en", "5 mg", "es").agree  # a dose needs figures on both sides
    assert not numbers.compare("below 25 °C", "en", "por debajo de 25 °F", "es").agree


def test_the_readme_example_is_what_check_says(tmp_path, monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Checking a translation: `leaflet check`", 1)[1]
    shown = section.split("```\n$ leaflet check content/testamol/\n", 1)[1].split("```", 1)[0].splitlines()
    folder = tmp_path / "content" / "testamol"
    folder.mkdir(parents=True)
    for f in FIXTURES.glob("*.yaml"):
        shutil.copy(f, folder / f.name)
    es, de = folder / "es.yaml", folder / "de.yaml"
    edit(es, 'value: "2,5 mg dos veces al día"', 'value: "25 mg dos veces al día"')
    edit(es, '"**Dosis inicial:** 2,5 mg dos veces al día."', '"**Dosis inicial:** 2,5 mg once al día."')
    edit(es, '          - "**Niños mayores de 6 años:** 0,5 ml del jarabe cada 8 horas."\n', "")
    edit(es, '"Tome Testamol con un vaso de agua, con o sin alimentos."',
         '"Take Testamol with a glass of water, with or without food."')
    edit(folder / "en.yaml", "Testamol can cause side effects.", "Testamol can cause unwanted effects.")
    edit(de, '"1.000 mg"', '"1,000 mg"')
    edit(de, 'translation: {source: en.yaml, fingerprint: "', 'translation: {source: en.yaml}\n# "')
    edit(folder / "ar.yaml", "source: en.yaml", "source: en-GB.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "content/testamol/"]) == 2
    assert capsys.readouterr().err.splitlines() == shown


# --- doctored copies of the baclofen samples, in every language ---------------------------------------

SAMPLES = ROOT / "content" / "baclofen"
SAMPLE_LANGUAGES = sorted(p.stem for p in SAMPLES.glob("*.yaml") if p.stem != "en")
DOSE = ("sections", 2, "blocks", 2, "bullets", 0)  # "Initial Dose: … 5 mg taken three times daily."
BULLET = ("sections", 1, "blocks", 3, "bullets", 1)  # "Cerebral palsy: …"
PARAGRAPH = ("sections", 0, "blocks", 0, "text")
SEIZURES = ("sections", 3, "blocks", 2, "side_effects", "items", 0)


def set_value(path: Path, field: tuple, value: str | None) -> None:
    """Replace a text of a file (None: remove the list item's line), the rest as written."""
    from leaflet.content.loader import node_spans

    text = path.read_text(encoding="utf-8")
    start, end, _ = node_spans(text)[field]
    if value is None:
        line_start, line_end = text.rfind("\n", 0, start) + 1, text.index("\n", end) + 1
        text = text[:line_start] + text[line_end:]
    else:
        text = text[:start] + json.dumps(value, ensure_ascii=False) + text[end:]
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    for f in SAMPLES.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def text_at(path: Path, field: tuple) -> str:
    value: object = leaflet.load(path).source.data
    for part in field:
        value = value[part]  # type: ignore[index]
    assert isinstance(value, str)
    return value


@pytest.mark.skipif(not SAMPLE_LANGUAGES, reason="no sample translations yet")
@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_doctored_samples_fail(samples, lang):
    path = samples / f"{lang}.yaml"
    assert problems(path) == []
    original = path.read_text(encoding="utf-8")
    dose = text_at(path, DOSE)
    assert "5" in dose
    set_value(path, DOSE, dose.replace("5", "50", 1))  # a changed dose
    assert [(d.code, d.path) for d in problems(path)] == [("number", DOSE)]
    path.write_text(original, encoding="utf-8")
    set_value(path, BULLET, None)  # a dropped bullet
    found = problems(path)
    assert [(d.code, d.path) for d in found] == [("structure", BULLET[:-1])]
    assert "2 items here, 3 in the source" in found[0].message
    # no number tells which is missing; where the lengths of the texts do not tell clearly either, none is named
    assert "the source's item [2]" not in found[0].message and "item [0]" not in found[0].message
    path.write_text(original, encoding="utf-8")
    set_value(path, SEIZURES, None)  # a short item among long ones: its length tells
    [d] = problems(path)
    assert "missing, judging by the lengths of the texts, probably: the source's item [0] ('Seizures')" in d.message
    path.write_text(original, encoding="utf-8")
    set_value(path, PARAGRAPH, text_at(samples / "en.yaml", PARAGRAPH))  # an untranslated paragraph
    assert [(d.code, d.path) for d in problems(path)] == [("untranslated", PARAGRAPH)]
    path.write_text(original, encoding="utf-8")
    en = samples / "en.yaml"
    set_value(en, BULLET, text_at(en, BULLET).replace("motor skills", "movement"))  # a stale source
    assert [(d.code, d.path) for d in problems(path)] == [("stale", BULLET)]


def test_a_stale_reviewed_translation_says_the_review_is_of_the_old_text(tree):
    edit(tree / "es.yaml", "  source: en.yaml\n", "  source: en.yaml\n  review: {reviewer: A. Revisora, date: 2026-11-30}\n")
    assert problems(tree / "es.yaml") == []
    edit(tree / "en.yaml", "Ask your pharmacist", "Ask your doctor")
    [d] = problems(tree / "es.yaml")
    assert d.code == "stale" and "the review recorded (A. Revisora, 2026-11-30) was of the translation before" in d.hint


DOSING_EN = ("Adults: 5 mg three times a day for 2 weeks; then up to 20 mg a day. Children over 12 years: 2.5 mg "
             "every 8 hours. Do not take more than 1,000 mg in 24 hours. Store below 25 °C. 1 in 10 people.")
DOSING = {  # the same dosing text in each sample language, written for this test
    "es": "Adultos: 5 mg tres veces al día durante 2 semanas; después hasta 20 mg al día. Niños mayores de 12 años: "
          "2,5 mg cada 8 horas. No tome más de 1.000 mg en 24 horas. Conservar por debajo de 25 °C. 1 de cada 10 "
          "personas.",
    "de": "Erwachsene: 5 mg dreimal täglich für 2 Wochen; danach bis zu 20 mg pro Tag. Kinder über 12 Jahre: 2,5 mg "
          "alle 8 Stunden. Nehmen Sie nicht mehr als 1.000 mg in 24 Stunden ein. Unter 25 °C lagern. 1 von 10 "
          "Behandelten.",
    "fr": "Adultes : 5 mg trois fois par jour pendant 2 semaines ; puis jusqu’à 20 mg par jour. Enfants de plus de "
          "12 ans : 2,5 mg toutes les 8 heures. Ne prenez pas plus de 1\u202f000 mg en 24 heures. À conserver en "
          "dessous de 25 °C. 1 personne sur 10.",
    "ru": "Взрослые: по 5 мг 3 раза в сутки в течение 2 недель; затем до 20 мг в сутки. Дети старше 12 лет: 2,5 мг "
          "каждые 8 часов. Не принимайте более 1\u00a0000 мг за 24 часа. Хранить при температуре ниже 25 °C. У 1 из "
          "10 человек.",
    "ar": "البالغون: ٥ ملغ ثلاث مرات في اليوم لمدة أسبوعين؛ ثم حتى ٢٠ ملغ في اليوم. الأطفال فوق ١٢ سنة: ٢٫٥ ملغ كل ٨ "
          "ساعات. لا تتناول أكثر من ١٬٠٠٠ ملغ خلال ٢٤ ساعة. يُحفظ في درجة حرارة أقل من ٢٥ °م. شخص واحد من كل ١٠ أشخاص.",
    "he": "מבוגרים: 5 מ״ג שלוש פעמים ביום במשך שבועיים; לאחר מכן עד 20 מ״ג ביום. ילדים מעל גיל 12: 2.5 מ״ג כל 8 "
          "שעות. אין ליטול יותר מ-1,000 מ״ג ב-24 שעות. יש לאחסן מתחת ל-25°C. 1 מכל 10 אנשים.",
    "zh": "成人：每日3次，每次5毫克，连续2周；之后每日最多20毫克。12岁以上儿童：每8小时2.5毫克。24小时内不得超过1,000毫克。"
          "请在25°C以下保存。每10人中有1人。",
    "ja": "成人：1回5 mgを1日3回、2週間服用します。その後は1日最大20 mgまでです。12歳以上の小児：8時間ごとに2.5 mg。"
          "24時間に1,000 mgを超えて服用しないでください。25°C以下で保管してください。10人に1人。",
}


@pytest.mark.parametrize("lang", sorted(DOSING))
def test_dosing_texts_agree_in_every_language_and_a_changed_dose_fails(lang):
    text = DOSING[lang]
    assert numbers.compare(DOSING_EN, "en", text, lang).agree
    assert numbers.compare(text, lang, DOSING_EN, "en").agree  # and the other way round
    for old, new in (("2,5", "25"), ("2.5", "25"), ("٢٫٥", "٢٥")):
        if old in text:
            found = numbers.compare(DOSING_EN, "en", text.replace(old, new, 1), lang)
            assert [q.shown for q in found.missing] == ["2.5 mg"] and [q.shown for q in found.extra] == ["25 mg"]
            break
    else:
        raise AssertionError("no 2.5 mg in the text")
    thousand = next(t for t in ("1.000", "1\u202f000", "1\u00a0000", "١٬٠٠٠", "1,000") if t in text)
    assert not numbers.compare(DOSING_EN, "en", text.replace(thousand, "100", 1), lang).agree
