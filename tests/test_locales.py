"""The bundled locales (es, de, fr, ru, ar, he, zh, ja besides en), and dates and numbers as each
language writes them (CLDR through Babel), read back with poppler."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

import leaflet
from leaflet.i18n.formats import format_date, format_number
from leaflet.resources import DATA, ResourceError, load_locale_file, locale_for

from . import pdfgeom
from .conftest import MINIMAL, ROOT

LOCALES = DATA / "locales"
FIXTURES = ROOT / "tests" / "fixtures" / "i18n"
BUNDLED = {  # language: (script, direction)
    "en": ("Latn", "ltr"), "es": ("Latn", "ltr"), "de": ("Latn", "ltr"), "fr": ("Latn", "ltr"),
    "ru": ("Cyrl", "ltr"), "ar": ("Arab", "rtl"), "he": ("Hebr", "rtl"), "zh": ("Hans", "ltr"),
    "ja": ("Jpan", "ltr"),
}


def raw(language: str) -> dict:
    return json.loads((LOCALES / f"{language}.json").read_text(encoding="utf-8"))


def test_the_bundled_locales_and_their_scripts_and_directions():
    assert sorted(p.stem for p in LOCALES.glob("*.json")) == sorted(BUNDLED)
    for language, (script, direction) in BUNDLED.items():
        data = load_locale_file(LOCALES / f"{language}.json")
        assert (data.script, data.direction) == (script, direction), language


def test_every_bundled_locale_has_the_same_keys_and_says_who_made_it():
    english = raw("en")
    for language in BUNDLED:
        data = raw(language)
        assert list(data) == list(english), language  # the same keys, in the same order
        assert list(data["strings"]) == list(english["strings"]), language
        if language == "en":
            assert data["status"] == "original"
        else:  # made here by machine: they say so, in the status and in the comment
            assert data["status"] == "machine-translation", language
            assert "Machine translation" in data["_comment"] and "not yet reviewed" in data["_comment"]


SAME_WORD = {("fr", "frequency_rare")}  # French "Rare" is the English word


def test_the_translated_locales_are_translated():
    """The banners and every frequency class differ from English (a string left in English on a
    Spanish leaflet is the error the issue is about)."""
    english = raw("en")["strings"]
    keys = ["status_draft", "status_machine_translation", "kicker", "contents_title", "page", "revised",
            *(k for k in english if k.startswith("frequency_") and k != "frequency_line")]
    for language in BUNDLED:
        if language == "en":
            continue
        strings = raw(language)["strings"]
        same = [k for k in keys if strings[k] == english[k] and (language, k) not in SAME_WORD]
        assert same == [], (language, same)


def test_the_frequency_wordings_keep_their_numbers():
    """Every class's bounds are the English ones (1 in 10 … 1 in 10,000), whatever the grouping."""
    english = raw("en")["strings"]
    for language in BUNDLED:
        strings = raw(language)["strings"]
        for key in (k for k in english if k.endswith("_wording") and k != "frequency_not_known_wording"):
            numbers = [n.replace(",", "").replace(".", "").replace("\u00a0", "")
                       for n in re.findall(r"\d[\d,.\u00a0]*\d|\d", strings[key])]
            assert sorted(numbers) == sorted(re.findall(r"\d+", english[key].replace(",", ""))), (language, key)


def test_spanish_never_says_once():
    """Spanish readers take the English "once" for "once" (eleven): never in the Spanish locale."""
    for text in raw("es")["strings"].values():
        for line in text if isinstance(text, list) else [text]:
            assert not re.search(r"\bonce\b", line, re.I), line


def test_the_eu_standard_wording_of_the_frequency_classes():
    es, de, fr = raw("es")["strings"], raw("de")["strings"], raw("fr")["strings"]
    assert (es["frequency_very_common"], es["frequency_very_common_wording"]) == (
        "Muy frecuentes", "pueden afectar a más de 1 de cada 10 personas")
    assert (de["frequency_rare"], de["frequency_rare_wording"]) == (
        "Selten", "kann bis zu 1 von 1.000 Behandelten betreffen")
    assert (fr["frequency_not_known"], fr["frequency_not_known_wording"]) == (
        "Fréquence indéterminée", "ne peut être estimée sur la base des données disponibles")


# dates and numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("cldr, day, month", [
    ("en_GB", "23 November 2026", "November 2026"),
    ("en_US", "November 23, 2026", "November 2026"),
    ("es", "23 de noviembre de 2026", "noviembre de 2026"),
    ("de", "23. November 2026", "November 2026"),
    ("fr", "23 novembre 2026", "novembre 2026"),
    ("ru", "23 ноября 2026\u202fг.", "ноябрь 2026\u202fг."),
    ("zh_Hans", "2026年11月23日", "2026年11月"),
    ("ja", "2026年11月23日", "2026年11月"),
])
def test_dates_as_each_language_writes_them(cldr, day, month):
    assert format_date("2026-11-23", cldr) == day
    assert format_date("2026-11", cldr) == month


def test_numbers_in_the_default_numbering_system_of_cldr():
    """CLDR's default for ar is Latin digits; for ar-EG (and fa) its own digits: page labels and
    section numbers follow, never grouped."""
    assert format_number(12, "ar") == "12"
    assert format_number(12, "ar_EG") == "\u0661\u0662"
    assert format_number(1234, "fa") == "\u06f1\u06f2\u06f3\u06f4"
    assert format_number(1234, "de") == "1234"
    assert format_date("2026-11-23", "ar_EG").startswith("\u0662\u0663 ")
    assert locale_for("ar").strings["_cldr"] == "ar" and locale_for("ar-EG").strings["_cldr"] == "ar_EG"


def test_a_leaflet_tag_with_a_region_chooses_its_conventions():
    """en.json writes dates the British way (cldr en-GB); a leaflet tagged en-US gets American ones."""
    assert locale_for("en").strings["_cldr"] == "en_GB"
    us = leaflet.parse(MINIMAL.replace("language: en", "language: en-US"), "us.yaml")
    from leaflet.text.printed import revision_line

    assert revision_line(us.leaflet, locale_for("en-US").strings) == "Revised January 2, 2026 · Version 3"


FOOTERS = {  # language: (revision line, page label, frequency line, banner start)
    "es": ("Revisado el 23 de noviembre de 2026 · Versión 1.0", "Página 1 de 1",
           "Raros: pueden afectar hasta 1 de cada 1.000 personas", "TRADUCCIÓN AUTOMÁTICA SIN REVISAR"),
    "de": ("Stand: 23. November 2026 · Version 1.0", "Seite 1 von 1",
           "Selten: kann bis zu 1 von 1.000 Behandelten betreffen", "UNGEPRÜFTE MASCHINELLE ÜBERSETZUNG"),
    "fr": ("Révisé le 23 novembre 2026 · Version 1.0", "Page 1 sur 1",
           "Rare\u202f: peut affecter jusqu’à 1 personne sur 1\u00a0000", "TRADUCTION AUTOMATIQUE NON RELUE"),
    "ru": ("Дата пересмотра: 23 ноября 2026\u202fг. · Версия 1.0", "Страница 1 из 1",
           "Редко: могут возникать не более чем у 1 человека из 1000", "НЕПРОВЕРЕННЫЙ МАШИННЫЙ ПЕРЕВОД"),
}


def pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("language", sorted(FOOTERS))
def test_a_translated_leaflet_prints_its_dates_numbers_and_classes_in_its_language(language, tmp_path, has_poppler):
    doc = leaflet.load(FIXTURES / f"{language}.yaml")
    pdf = leaflet.build_bytes(doc)
    assert leaflet.verify(doc, pdf) == []
    lines = [" ".join(line.split()) for line in pdftotext(pdf, tmp_path).splitlines()]
    revised, page, frequency, banner = FOOTERS[language]
    normal = lambda text: " ".join(text.split())  # noqa: E731 - poppler writes no-break spaces as spaces
    assert normal(revised) in lines and normal(page) in lines and normal(frequency) in lines
    assert lines[0].startswith(banner)
    assert not any("Revised" in line or "2026-11-23" in line for line in lines)


def test_a_month_only_revision_prints_month_and_year(tmp_path, has_poppler):
    source = (FIXTURES / "es.yaml").read_text(encoding="utf-8").replace('date: "2026-11-23"', 'date: "2026-11"')
    text = pdftotext(leaflet.build_bytes(leaflet.parse(source, "es.yaml")), tmp_path)
    assert "Revisado en noviembre de 2026 · Versión 1.0" in text


def test_dates_do_not_depend_on_the_machines_locale_or_time_zone(tmp_path):
    """The same input gives the same bytes whatever LANG, LC_ALL and TZ say."""
    outputs = []
    for env in ({"LANG": "C", "TZ": "UTC"}, {"LANG": "de_DE.UTF-8", "LC_ALL": "ja_JP.UTF-8", "TZ": "Pacific/Kiritimati"}):
        out = tmp_path / f"{len(outputs)}.pdf"
        clean = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_TIME", "TZ")}
        subprocess.run([sys.executable, "-m", "leaflet", "build", str(FIXTURES / "es.yaml"), "-o", str(out)],
                       env={**clean, **env}, check=True, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_a_locale_naming_a_cldr_locale_that_does_not_exist(tmp_path):
    data = raw("es")
    data["cldr"] = "xx-YY"
    path = tmp_path / "es.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ResourceError, match=r"'cldr' is 'xx-YY', a locale CLDR does not know"):
        load_locale_file(path)


def test_a_date_the_fonts_cannot_print_is_a_locale_error(tmp_path):
    """CLDR's month names are checked for glyphs like the locale's strings: a Latin-script locale
    that writes its dates the Arabic way cannot print them."""
    data = {**raw("en"), "cldr": "ar"}
    (tmp_path / "en.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    source = tmp_path / "t.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(ResourceError, match=r"en\.json: .*U\+06"):
        leaflet.api.check(leaflet.load(source, locales=[tmp_path]))


def test_the_cldr_table_formats_exactly_as_babel_does():
    """leaflet/data/cldr.json (tools/update_cldr.py) spares every build Babel's import: it must give
    what Babel gives, every month, for every locale it holds."""
    import datetime

    from babel.dates import format_date as babel_date
    from babel.dates import format_skeleton

    from leaflet.i18n import formats

    assert {"en_GB", "en_US", "es", "de", "fr", "ru", "ar", "ar_EG", "he", "zh_Hans", "ja"} <= set(formats.table())
    for cldr in formats.table():
        for month in range(1, 13):
            for day in (1, 9, 28):
                when = datetime.date(2026, month, day)
                expected = formats.digits(babel_date(when, "long", locale=cldr), cldr)
                assert formats.format_date(when.isoformat(), cldr) == expected, cldr
            expected = formats.digits(format_skeleton("yMMMM", datetime.date(2026, month, 1), locale=cldr), cldr)
            assert formats.format_date(f"2026-{month:02d}", cldr) == expected, cldr


def test_the_cldr_table_is_what_babel_says_now():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "update_cldr.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_locale_the_table_does_not_hold_is_formatted_by_babel():
    from leaflet.i18n import formats

    assert "pt_BR" not in formats.table() and "it" not in formats.table()
    assert formats.format_date("2026-11-23", "pt_BR") == "23 de novembro de 2026"
    assert formats.format_date("2026-11", "it") == "novembre 2026"
    assert formats.known_cldr("pt-BR") == "pt_BR" and formats.known_cldr("xx-YY") is None


def test_a_band_filled_in_with_text_of_another_script_prints_it(tmp_path, has_poppler):
    """A locale template ("{label} · {title}", "{title} (המשך)") made markup as a whole put the
    Hebrew title inside the <font> of the Latin characters around the placeholder: the band printed
    blank. Each literal part gets its font, and the title its own."""
    source = tmp_path / "he.yaml"
    source.write_text(
        "language: he\nmedicine:\n  name: טסטמול\nrevision:\n  date: \"2026-11-23\"\nsections:\n"
        "  - heading: תופעות לוואי\n    blocks:\n      - side_effects:\n          severity: common\n"
        "          title: תופעות לוואי שכיחות\n          items: [כאב ראש]\n      - side_effects:\n"
        "          severity: common\n          frequency: rare\n          items: [סחרחורת]\n",
        encoding="utf-8")
    doc = leaflet.load(source)
    pdf = leaflet.build_bytes(doc)
    assert leaflet.verify(doc, pdf) == []
    text = pdftotext(pdf, tmp_path)
    for word in ("שכיחות", "לוואי", "נדירות", "אנשים"):  # the band's word and title, the frequency line
        assert word in text or word[::-1] in text, word


LABELS = {  # language: what a label and its value print ("Brand name: …"), as the language punctuates it
    "en": "Brand name: ", "es": "Nombre comercial: ", "de": "Handelsname: ", "ru": "Торговое наименование: ",
    "fr": "Nom commercial\u202f: ",  # a narrow no-break space before the colon
    "zh": "商品名：", "ja": "販売名：",  # the full-width colon, no space after it
    "ar": "الاسم التجاري: ", "he": "שם מסחרי: ",
}


@pytest.mark.parametrize("language", sorted(BUNDLED))
def test_a_label_is_punctuated_as_its_language_does(language):
    from leaflet.text.printed import label_parts

    strings = locale_for(language).strings
    label, gap, tail = label_parts(strings, strings["brand_name"])
    assert label + gap == LABELS[language] and tail == ""
    assert ":" not in strings["brand_name"] + strings["drug_class"]  # the punctuation is label_value's


@pytest.mark.parametrize(("language", "source"), [
    ("fr", FIXTURES / "fr.yaml"), ("zh", ROOT / "content" / "baclofen" / "zh.yaml"),
    ("ja", ROOT / "content" / "baclofen" / "ja.yaml"), ("en", ROOT / "content" / "baclofen" / "en.yaml")])
def test_the_label_colon_on_the_page(language, source, tmp_path, has_poppler):
    """Read back independently: pypdf gives the characters as drawn (French U+202F before the
    colon, never a plain space; the full-width colon in Chinese and Japanese, with no space
    after it); poppler's word boxes put the French colon a narrow space from its word."""
    from pypdf import PdfReader

    doc = leaflet.load(source)
    pdf = leaflet.build_bytes(doc)
    assert leaflet.verify(doc, pdf) == []
    (tmp_path / "x.pdf").write_bytes(pdf)
    text = PdfReader(tmp_path / "x.pdf").pages[0].extract_text()
    strings = locale_for(language).strings
    brand = strings["brand_names"] if len(doc.leaflet.medicine.brands) > 1 else strings["brand_name"]
    label = LABELS[language].replace(strings["brand_name"], brand)
    assert label + doc.leaflet.medicine.brands[0] in text, text[:300]
    assert f"{strings['drug_class']}{LABELS[language][len(strings['brand_name']):]}" in text
    if language == "fr":
        assert "commercial :" not in text and "thérapeutique :" not in text
        words = pdfgeom.read_words(tmp_path / "x.pdf")[0].words
        word = next(i for i, w in enumerate(words) if w.text == "commercial")
        colon, after = words[word + 1], words[word + 2]
        assert colon.text == ":" and colon.x0 - words[word].x1 < after.x0 - colon.x1  # narrower than a space
    if language in ("zh", "ja"):  # no ASCII colon after the labels
        assert f"{brand}:" not in text and f"{strings['drug_class']}:" not in text
