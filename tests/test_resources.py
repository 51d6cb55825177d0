"""Locales and themes: typed and checked when loaded; locale folders outside the package."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import msgspec
import pytest

import leaflet
from leaflet import resources
from leaflet.errors import ResourceError
from leaflet.resources import Strings, load_locale_file, locale_for

from .conftest import MINIMAL, ROOT
from .test_cli import run

FIXTURES = ROOT / "tests" / "locales"
IT = FIXTURES / "it.json"
BROKEN = FIXTURES / "broken" / "it.json"
STRING_KEYS = {f.encode_name for f in msgspec.structs.fields(Strings)}


def all_locale_files() -> list[Path]:
    """Every locale file in the package and in the tests, except the deliberately broken ones."""
    files = sorted((ROOT / "leaflet" / "data" / "locales").glob("*.json"))
    files += sorted(p for p in (ROOT / "tests").rglob("locales/*.json") if "broken" not in p.parts)
    return files


def test_there_is_more_than_one_locale_to_compare():
    names = [p.relative_to(ROOT).as_posix() for p in all_locale_files()]
    assert "leaflet/data/locales/en.json" in names and "tests/locales/it.json" in names


@pytest.mark.parametrize("path", all_locale_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_locale_has_exactly_the_strings_of_the_struct(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert set(raw["strings"]) == STRING_KEYS, path
    load_locale_file(path)  # and it passes every check


def test_a_locale_with_a_missing_or_mistyped_key_is_an_error_naming_file_and_key():
    with pytest.raises(ResourceError) as err:
        load_locale_file(BROKEN)
    message = str(err.value)
    assert "locales/broken/it.json: " in message
    assert "missing key 'page' in 'strings'" in message
    assert "unknown key 'brand_nmae' in 'strings' (did you mean 'brand_name'?)" in message
    assert "strings.revised: unknown placeholder {day} (it may use {date})" in message


@pytest.mark.parametrize(("text", "problem"), [
    ("Page {page}", "missing placeholder {pages}"),
    ("Page {page} of {pages} {x}", "unknown placeholder {x}"),
    ("Page {page of {pages}", "unexpected '{' in field name"),
])
def test_placeholders_are_checked(tmp_path, text, problem):
    raw = json.loads(IT.read_text(encoding="utf-8"))
    raw["strings"]["page"] = text
    path = tmp_path / "it.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ResourceError, match="strings.page: .*" + problem.replace("{", r"\{").replace("}", r"\}")):
        load_locale_file(path)


def test_a_locale_whose_language_disagrees_with_its_file_name(tmp_path):
    path = tmp_path / "de.json"
    shutil.copyfile(IT, path)
    with pytest.raises(ResourceError, match=r"'language' is 'it' but the file is de\.json"):
        load_locale_file(path)


# locale folders --------------------------------------------------------------------------

IT_LEAFLET = MINIMAL.replace("language: en", "language: it")


def kicker_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.splitlines()[0]


def with_kicker(folder: Path, kicker: str, **strings: str) -> Path:
    raw = json.loads(IT.read_text(encoding="utf-8"))
    raw["strings"].update(kicker=kicker, **strings)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "it.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    """content/testamol/it.yaml in a working folder; no Italian locale anywhere (leaflet bundles none)."""
    (tmp_path / "content" / "testamol").mkdir(parents=True)
    (tmp_path / "content" / "testamol" / "it.yaml").write_text(IT_LEAFLET, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_a_locale_validate_says_where_it_looked(tree, capsys):
    code, _, err = run(capsys, "validate", "content/testamol/it.yaml")
    assert code == 2 and "no locale for language 'it'" in err and "--locales" in err


def test_locale_beside_the_content_then_above_it_with_precedence(tree, capsys, has_poppler):
    """option > locales/ beside the leaflet > locales/ above it (content/locales/) > bundled."""
    src = "content/testamol/it.yaml"
    with_kicker(tree / "content" / "locales", "Notice partagée")
    assert run(capsys, "build", src, "-o", "a.pdf")[0] == 0
    assert kicker_of(tree / "a.pdf") == "Notice partagée"
    with_kicker(tree / "content" / "testamol" / "locales", "Notice du dossier")
    assert run(capsys, "build", src, "-o", "b.pdf")[0] == 0
    assert kicker_of(tree / "b.pdf") == "Notice du dossier"
    with_kicker(tree / "elsewhere", "Notice de l’option", page="Feuille {page} sur {pages}")
    assert run(capsys, "build", src, "-o", "c.pdf", "--locales", "elsewhere")[0] == 0
    assert kicker_of(tree / "c.pdf") == "Notice de l’option"
    # verify looks for the furniture ("Feuille 1 sur 1") of the same locale
    assert run(capsys, "verify", src, "c.pdf", "--locales", "elsewhere")[0] == 0
    code, _, err = run(capsys, "verify", src, "c.pdf")
    assert code == 1 and "Pagina 1 di 1" in err


def test_a_locale_beside_the_content_overrides_a_bundled_one(tree, capsys, has_poppler):
    raw = json.loads((ROOT / "leaflet" / "data" / "locales" / "en.json").read_text(encoding="utf-8"))
    raw["strings"]["kicker"] = "Clinic handout"
    (tree / "content" / "locales").mkdir()
    (tree / "content" / "locales" / "en.json").write_text(json.dumps(raw), encoding="utf-8")
    (tree / "content" / "testamol" / "en.yaml").write_text(MINIMAL, encoding="utf-8")
    assert run(capsys, "build", "content/testamol/en.yaml", "-o", "en.pdf")[0] == 0
    assert kicker_of(tree / "en.pdf") == "Clinic handout"


def test_a_broken_locale_fails_validate_not_only_build(tree, capsys):
    shutil.copytree(BROKEN.parent, tree / "broken")
    for command in ("validate", "build"):
        code, _, err = run(capsys, command, "content/testamol/it.yaml", "--locales", "broken")
        assert code == 2, err
        assert "the locale for language 'it' has problems" in err and "missing key 'page'" in err
        assert "KeyError" not in err and "internal error" not in err
    assert not (tree / "output").exists()


def test_a_locales_folder_that_does_not_exist(tree, capsys):
    code, _, err = run(capsys, "validate", "content/testamol/it.yaml", "--locales", "nowhere")
    assert code == 1 and "locale folder not found: nowhere" in err


def test_the_api_takes_locale_folders(tree):
    assert leaflet.validate("content/testamol/it.yaml", locales=[FIXTURES]) == []
    doc = leaflet.parse(IT_LEAFLET, "it.yaml", locales=[FIXTURES])
    assert leaflet.build_bytes(doc).startswith(b"%PDF-")
    assert locale_for("it", [FIXTURES]).file == str(IT)
    [problem] = leaflet.validate("content/testamol/it.yaml")
    assert problem.code == "locale"


# themes -----------------------------------------------------------------------------------


@pytest.fixture
def themes(tmp_path, monkeypatch) -> Path:
    """A copy of the bundled data whose themes a test may change."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "leaflet" / "data", data)
    monkeypatch.setattr(resources, "DATA", data)
    resources._theme.cache_clear()
    yield data / "themes"
    resources._theme.cache_clear()


def edit_theme(folder: Path, name: str, change) -> None:
    path = folder / f"{name}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(json.dumps(raw), encoding="utf-8")


def test_bundled_themes_pass_their_checks():
    for name in resources.available_themes():
        assert resources.theme(name)["body"]["size"] >= 10


def test_a_mistyped_theme_key_is_an_error_with_a_hint(themes):
    edit_theme(themes, "large-print", lambda t: t.update(bodyy=t.pop("body")))
    with pytest.raises(ResourceError) as err:
        resources.theme("large-print")
    assert "large-print.json" in str(err.value) and "unknown key 'bodyy' (did you mean 'body'?)" in str(err.value)


def test_a_mistyped_nested_theme_key_is_an_error(themes):
    edit_theme(themes, "default", lambda t: t["colors"].update(textt=t["colors"].pop("text")))
    with pytest.raises(ResourceError, match=r"unknown key 'textt' in 'colors' \(did you mean 'text'\?\)"):
        resources.theme("default")


def test_a_theme_missing_a_key_is_an_error(themes):
    edit_theme(themes, "default", lambda t: t.pop("paragraph_space"))
    with pytest.raises(ResourceError, match=r"default\.json: missing key 'paragraph_space'"):
        resources.theme("default")


def test_a_theme_value_of_the_wrong_kind_is_an_error(themes):
    edit_theme(themes, "default", lambda t: t["colors"].update(text="black"))
    with pytest.raises(ResourceError, match=r"default.json: .*colors.text"):
        resources.theme("default")


def test_extends_merges_and_keeps_what_is_not_given(themes):
    large = resources.theme("large-print")
    default = resources.theme("default")
    assert large["body"]["size"] > default["body"]["size"]
    assert large["colors"] == default["colors"]


def test_a_theme_that_extends_itself(themes):
    edit_theme(themes, "large-print", lambda t: t.update(extends="large-print"))
    with pytest.raises(ResourceError, match="goes round in a circle"):
        resources.theme("large-print")


def test_an_unknown_theme_name_gets_a_hint(capsys, tmp_path):
    with pytest.raises(ResourceError, match="did you mean 'large-print'"):
        resources.theme("large-prnt")


def test_a_language_that_is_not_a_tag_never_names_a_file():
    with pytest.raises(ResourceError, match="not a language tag"):
        locale_for("../../etc/passwd")


def test_a_theme_file_outside_the_package(tmp_path, capsys, monkeypatch):
    """--theme PATH.json: a clinic's own theme, extending a bundled one or another file."""
    (tmp_path / "clinic.json").write_text(json.dumps({"extends": "default", "body": {"size": 12, "leading": 16}}))
    (tmp_path / "clinic-large.json").write_text(json.dumps({"extends": "clinic.json", "title": {"size": 30,
                                                                                                  "leading": 34}}))
    large = resources.theme(str(tmp_path / "clinic-large.json"))
    assert large["body"] == {"size": 12, "leading": 16} and large["title"]["size"] == 30
    assert large["colors"] == resources.theme("default")["colors"]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(MINIMAL, encoding="utf-8")
    assert run(capsys, "build", "m.yaml", "-o", "m.pdf", "--theme", "clinic-large.json")[0] == 0
    (tmp_path / "typo.json").write_text(json.dumps({"extends": "default", "body": {"sise": 12}}))
    code, _, err = run(capsys, "build", "m.yaml", "-o", "t.pdf", "--theme", "typo.json")
    assert code == 1 and "typo.json: unknown key 'sise' in 'body' (did you mean 'size'?)" in err
    code, _, err = run(capsys, "build", "m.yaml", "-o", "t.pdf", "--theme", "nowhere.json")
    assert code == 1 and "theme file not found: nowhere.json" in err
    assert not (tmp_path / "t.pdf").exists()


# every locale string prints something, and the README says what ---------------------------------

def _printing_source() -> str:
    """The code that prints (all but resources.py, which only defines and checks the strings)."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "leaflet").rglob("*.py"))
                     if p.name != "resources.py")


@pytest.mark.parametrize("key", sorted(STRING_KEYS))
def test_every_locale_string_is_looked_up_by_the_code(key):
    """A string every locale must hold is looked up where something prints: strings["key"], or
    through a name the code builds (side_effects_{severity}, frequency_{frequency}[_wording])."""
    import re

    source = _printing_source()
    built = {r"side_effects_(common|serious)": 'f"side_effects_{',
             r"frequency_(very_common|common|uncommon|rare|very_rare|not_known)": 'f"frequency_{frequency}"]',
             r"frequency_(very_common|common|uncommon|rare|very_rare|not_known)_wording":
                 'f"frequency_{frequency}_wording"]'}
    looked_up = f'["{key}"]' in source or any(re.fullmatch(k, key) and v in source for k, v in built.items())
    assert looked_up, f"locale string {key!r} is never printed: remove it from Strings and the locale files"


def test_the_readme_lists_every_locale_string_with_its_placeholders():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("Every string of a locale, what it prints", 1)[1].split("\n\n", 2)[1]
    listed: dict[str, set[str]] = {}
    for line in table.splitlines()[2:]:
        row = [cell.strip() for cell in line.strip("|").split(" | ")]
        row = [row[0], row[-1] if len(row) == 3 else ""]
        keys = re.findall(r"`([a-z_]+)`", row[0])
        if "…" in row[0]:  # a family: frequency_very_common … frequency_not_known
            suffix = "_wording" if keys[0].endswith("_wording") else ""
            keys = [f"frequency_{c}{suffix}" for c in ("very_common", "common", "uncommon", "rare", "very_rare",
                                                       "not_known")]
        for key in keys:
            listed[key] = set(re.findall(r"`\{([a-z]+)\}`", row[1]))
    assert set(listed) == STRING_KEYS
    assert {k: v for k, v in listed.items() if v} == {k: set(v) for k, v in resources.PLACEHOLDERS.items()}


def test_retired_strings_are_gone_but_an_old_locale_that_has_them_still_loads(tmp_path, has_poppler):
    assert not {"precaution", "question", "answer", "contents"} & STRING_KEYS
    raw = json.loads(IT.read_text(encoding="utf-8"))
    raw["strings"].update(precaution="Précaution", question="Q", answer="R", contents="Sommaire")
    folder = tmp_path / "locales"
    folder.mkdir()
    (folder / "it.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert locale_for("it", [folder]).strings == locale_for("it", [FIXTURES]).strings
    source = tmp_path / "it.yaml"
    source.write_text(IT_LEAFLET, encoding="utf-8")
    pdf = tmp_path / "it.pdf"
    leaflet.build(leaflet.load(source, locales=[folder]), pdf)
    assert "Sommaire" not in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


# leaflet locale: a locale file as a template -----------------------------------------------------

def test_leaflet_locale_prints_the_bundled_english_locale_as_it_is(capsys):
    code, out, _ = run(capsys, "locale", "en")
    assert code == 0 and out == (ROOT / "leaflet" / "data" / "locales" / "en.json").read_text(encoding="utf-8")
    assert run(capsys, "locale", "en-GB")[1] == out  # the file leaflet would use for en-GB


def test_leaflet_locale_lists_the_locales_and_finds_them_in_locale_folders(capsys, tmp_path):
    bundled = ["ar", "de", "en", "es", "fr", "he", "ja", "ru", "zh"]
    code, out, _ = run(capsys, "locale")
    assert code == 0 and [line.split("\t")[0] for line in out.splitlines()] == bundled
    en = out.splitlines()[bundled.index("en")].split("\t")
    assert en[1].endswith("leaflet/data/locales/en.json") and en[2] == "original"
    assert out.splitlines()[bundled.index("es")].split("\t")[2] == "machine-translation"
    code, out, _ = run(capsys, "locale", "--locales", FIXTURES)
    assert [line.split("\t")[0] for line in out.splitlines()] == sorted([*bundled, "it"])
    assert out.splitlines()[sorted([*bundled, "it"]).index("it")].split("\t")[2] == "-"  # it does not say
    code, out, _ = run(capsys, "locale", "it", "--locales", FIXTURES)
    assert code == 0 and out == IT.read_text(encoding="utf-8")


def test_a_template_from_leaflet_locale_becomes_a_working_locale(capsys, tmp_path, has_poppler):
    folder = tmp_path / "locales"
    assert run(capsys, "locale", "en", "-o", folder / "it.json")[0] == 0
    raw = json.loads((folder / "it.json").read_text(encoding="utf-8"))
    raw.update(language="it", name="Français")
    raw["strings"]["kicker"] = "Notice d’information du patient"
    (folder / "it.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    source = tmp_path / "it.yaml"
    source.write_text(IT_LEAFLET, encoding="utf-8")
    assert run(capsys, "build", source, "-o", tmp_path / "it.pdf", "--locales", folder)[0] == 0
    assert kicker_of(tmp_path / "it.pdf") == "Notice d’information du patient"


@pytest.mark.parametrize("argv, message", [
    (["locale", "it"], "no locale strings for language 'it'"),
    (["locale", "../en"], "'../en' is not a language tag"),
    (["locale", "-o", "x.json"], "-o needs a LANGUAGE"),
    (["locale", "en", "-o", ""], "-o needs a file name"),
])
def test_leaflet_locale_errors(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == "" and message in err and err.startswith("leaflet: error: ")
    if argv == ["locale", "it"]:
        assert "leaflet locale en > it.json" in err
    assert not list(tmp_path.iterdir())


def test_a_leaflet_from_standard_input_without_a_locale_is_told_to_use_locales(tree, capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(IT_LEAFLET))
    code, _, err = run(capsys, "validate", "-")
    assert code == 2 and "no locale for language 'it'" in err
    assert "--locales DIR" in err and "standard input" in err and "beside the leaflet" not in err
    code, _, err = run(capsys, "validate", "content/testamol/it.yaml")  # a file: locales/ beside it will do
    assert code == 2 and "beside the leaflet" in err


def test_a_locales_folder_that_is_a_file(tree, capsys):
    (tree / "afile").write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "validate", "content/testamol/it.yaml", "--locales", "afile")
    assert code == 1 and "afile is a file, not a folder of locale files" in err and "not found" not in err


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs named pipes")
def test_a_locale_file_that_is_a_pipe_or_a_folder_is_named_so_never_read(tree, capsys):
    import os

    (tree / "locs").mkdir()
    os.mkfifo(tree / "locs" / "it.json")  # reading it would wait forever
    code, _, err = run(capsys, "validate", "content/testamol/it.yaml", "--locales", "locs")
    assert code == 2 and "it.json is a named pipe (FIFO), not a locale file" in err, err
    (tree / "locs" / "it.json").unlink()
    (tree / "locs" / "it.json").mkdir()
    code, _, err = run(capsys, "validate", "content/testamol/it.yaml", "--locales", "locs")
    assert code == 2 and "it.json is a folder, not a locale file" in err, err


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs named pipes")
def test_a_theme_that_is_a_pipe_a_device_or_a_folder_is_named_so(tmp_path, capsys, monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(MINIMAL, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "dir.json").mkdir()
    for theme, kind in (("pipe.json", "a named pipe (FIFO)"), ("dir.json", "a folder"),
                        ("/dev/null.json" if os.path.exists("/dev/null.json") else "/dev/zero/.json", None)):
        code, _, err = run(capsys, "build", "m.yaml", "-o", "t.pdf", "--theme", theme)
        assert code == 1, err
        if kind:
            assert f"theme file {theme} is {kind}, not a theme file" in err and "not found" not in err, err
    assert not (tmp_path / "t.pdf").exists()
