"""Data files that ship with leaflet: locale strings, themes, the font table.

They are JSON so that loading them costs nothing and needs no YAML. Each is
typed by a msgspec struct below and checked when it is loaded: an unknown key
(a typo) or a missing one is an error naming the file and the key, with a
did-you-mean hint, never a KeyError halfway through a build or a setting that
is silently ignored.
"""
# No ``from __future__ import annotations``: msgspec reads the structs' annotations when a locale or
# theme is first loaded, and would compile each one from a string (start-up time).

import os
import re
import string
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin

import msgspec

from .errors import ResourceError, file_kind

DATA = Path(__file__).resolve().parent / "data"

T = TypeVar("T")


def fonts_dir() -> Path:
    """The bundled fonts: ``$LEAFLET_FONTS`` if set; else ``leaflet/fonts`` in an installed
    package; else ``fonts/`` in a checkout (and an editable install)."""
    env = os.environ.get("LEAFLET_FONTS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    installed = here / "fonts"
    return installed if installed.is_dir() else here.parent / "fonts"


# checking JSON data against a struct -------------------------------------------------------


def _struct_of(tp: Any) -> type[msgspec.Struct] | None:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp if isinstance(tp, type) and issubclass(tp, msgspec.Struct) else None


def _dict_value_struct(tp: Any) -> type[msgspec.Struct] | None:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) is dict:
        return _struct_of(get_args(tp)[1])
    return None


@cache
def _fields(tp: type[msgspec.Struct]) -> dict[str, msgspec.structs.FieldInfo]:
    """A struct's fields by the name they have in the file (worked out once per struct)."""
    return {f.encode_name: f for f in msgspec.structs.fields(tp)}


def _key_problems(raw: Any, tp: type[msgspec.Struct], where: str, *, missing: bool = True,
                  extra: frozenset[str] = frozenset()) -> Iterator[str]:
    """Unknown keys (with a did-you-mean) and, if ``missing``, absent required keys, at any depth."""
    if not isinstance(raw, dict):
        return  # the wrong type: msgspec says so, with the place
    fields = _fields(tp)
    inside = f" in '{where}'" if where else ""
    for key in raw:
        if key in fields or key in extra:
            continue
        from difflib import get_close_matches  # only for a hint

        close = get_close_matches(str(key), list(fields), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(fields)})"
        yield f"unknown key '{key}'{inside}{hint}"
    for name, field in fields.items():
        if name not in raw:
            if missing and field.required:
                yield f"missing key '{name}'{inside}"
            continue
        path = f"{where}.{name}" if where else name
        sub = _struct_of(field.type)
        if sub is not None:
            yield from _key_problems(raw[name], sub, path, missing=missing)
        values = _dict_value_struct(field.type)
        if values is not None and isinstance(raw[name], dict):
            for k, v in raw[name].items():
                yield from _key_problems(v, values, f"{path}.{k}", missing=missing)


def shown(path: str | os.PathLike[str]) -> str:
    """A path for messages: relative to the current folder when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def loads_json(text: str) -> Any:
    """``json.loads(text)``, read by msgspec's decoder, which a build has loaded anyway (importing
    json costs start-up time): what msgspec refuses (a syntax error, NaN, a number out of range, a
    lone surrogate escape) goes to json, for json's result or its error, so the outcome is json's."""
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError:
        import json

        return json.loads(text)


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"{shown(path)}: cannot read: {exc}") from None
    try:
        return loads_json(text)
    except ValueError as exc:  # json.JSONDecodeError
        line, column, msg = getattr(exc, "lineno", 0), getattr(exc, "colno", 0), getattr(exc, "msg", str(exc))
        raise ResourceError(f"{shown(path)}:{line}:{column}: not valid JSON: {msg}") from None


def _convert(raw: Any, tp: type[T], where: str | Path, *, problems: list[str] | None = None) -> T:
    if problems is None and isinstance(raw, dict) and isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        problems = list(_key_problems(raw, tp, ""))
    found = problems or []
    if found:
        raise ResourceError(f"{_where(where)}: " + "; ".join(found))
    try:
        return msgspec.convert(raw, tp)
    except msgspec.ValidationError as exc:
        raise ResourceError(f"{_where(where)}: {exc}".replace("`$.", "`").replace("`$`", "the file")) from None


def _where(where: str | Path) -> str:
    """A file for a message (resolved only when there is one to give)."""
    return shown(where) if isinstance(where, Path) else where


# locales -----------------------------------------------------------------------------


class Strings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The fixed strings a leaflet prints in its language. Every locale has every one.

    To add a string: add its field here and its key to every locale file (leaflet/data/locales/
    and the test fixtures in tests/locales/; tests/test_resources.py compares them all with
    this struct); a string filled in with str.format also gets its placeholders in PLACEHOLDERS.
    """

    kicker: str
    brand_names: str
    brand_name: str
    drug_class: str
    # a label and its value, as the language punctuates them: "Brand name: Lioresal", French
    # "Nom commercial\u202f: …" (a narrow no-break space before the colon), Chinese "商品名：…"
    label_value: str
    key_facts: str
    key_facts_header: Annotated[list[str], msgspec.Meta(min_length=2, max_length=2)]
    side_effects_common: str
    side_effects_serious: str
    page: str
    revised: str  # the footer's revision date when it is a day (YYYY-MM-DD)
    revised_month: str  # ... and when it is a month (YYYY-MM): "Revisado en noviembre de 2026"
    version: str
    status_draft: str
    status_machine_translation: str
    subject: str
    callout_band: str
    continued: str
    # EU frequency classes (side_effects.frequency): the class's name, its standard wording, and the
    # line that prints them under a callout's band
    frequency_line: str
    frequency_very_common: str
    frequency_very_common_wording: str
    frequency_common: str
    frequency_common_wording: str
    frequency_uncommon: str
    frequency_uncommon_wording: str
    frequency_rare: str
    frequency_rare_wording: str
    frequency_very_rare: str
    frequency_very_rare_wording: str
    frequency_not_known: str
    frequency_not_known_wording: str
    section_number: str  # a numbered section's heading (options.number_sections)
    reference_number: str  # what [[id]] prints when sections are numbered
    reference_heading: str  # ... and when they are not
    contents_title: str  # the title of the contents list (options.contents)
    digital_leaflet: str | None = None  # beside the QR code of digital_url (a leaflet without one needs none)
    # the personal panel's labels (leaflet build --rx; leaflet.text.panel): every bundled locale has
    # them; a locale file of one's own without them still builds leaflets, but not personalised ones
    panel_patient: str | None = None
    panel_medicine: str | None = None
    panel_directions: str | None = None
    panel_purpose: str | None = None
    panel_prescriber: str | None = None
    panel_pharmacy: str | None = None
    panel_phone: str | None = None
    panel_rx_number: str | None = None
    panel_dispensed: str | None = None
    panel_quantity: str | None = None
    panel_refills: str | None = None
    panel_digital: str | None = None
    # the banner on the pages after the first, which carries it in full (status_draft,
    # status_machine_translation): its opening words, saying what the leaflet is ("UNREVIEWED MACHINE
    # TRANSLATION – draft."), a line where the whole takes three or four on A5 in large print. Every
    # bundled locale has them; a locale file without them prints the full banner on every page.
    status_draft_short: str | None = None
    status_machine_translation_short: str | None = None


# Keys that older locale files hold but nothing ever printed (the names of a precaution, a question
# and answer, and a contents list): accepted and ignored, so that those files keep working.
RETIRED_STRINGS = frozenset({"precaution", "question", "answer", "contents"})

# Strings filled in with str.format: the placeholders each one must have (and may only have).
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "page": frozenset({"page", "pages"}),
    "revised": frozenset({"date"}),
    "revised_month": frozenset({"date"}),
    "version": frozenset({"version"}),
    "subject": frozenset({"name"}),
    "callout_band": frozenset({"label", "title"}),
    "continued": frozenset({"title"}),
    "frequency_line": frozenset({"name", "wording"}),
    "label_value": frozenset({"label", "value"}),
    "section_number": frozenset({"number", "heading"}),
    "reference_number": frozenset({"number"}),
    "reference_heading": frozenset({"heading"}),
}


# What a locale file says about who made its strings: the language the leaflets are written in
# first ("original"), a translation a qualified translator has checked ("reviewed"), or one made by
# a machine that no person has checked yet ("machine-translation").
LOCALE_STATUSES = ("original", "reviewed", "machine-translation")


class LocaleFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``<language>.json``: a locale's strings, its script (ISO 15924) and direction; the CLDR
    locale its dates and numbers are written in (``cldr``, default: ``language``); who made its
    strings (``status``, optional; every bundled locale says)."""

    language: str
    name: str
    script: Annotated[str, msgspec.Meta(pattern="^[A-Z][a-z]{3}$")]
    direction: Literal["ltr", "rtl"]
    strings: Strings
    cldr: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")] | None = None
    status: Literal["original", "reviewed", "machine-translation"] | None = None
    comment: str = msgspec.field(default="", name="_comment")


class Locale(msgspec.Struct, frozen=True):
    """A leaflet's locale: ``strings`` are the locale file's strings, and under the key ``_cldr``
    the CLDR locale that dates and numbers are formatted in (see :mod:`leaflet.i18n.formats`)."""

    language: str
    script: str
    direction: str
    strings: dict[str, Any]
    file: str = ""
    status: str | None = None


def _placeholder_problems(strings: Any) -> Iterator[str]:
    """Placeholders in the strings filled in with str.format: none unknown (a KeyError when
    building), none missing (a page label without its number)."""
    for key, wanted in PLACEHOLDERS.items():
        text = strings.get(key) if isinstance(strings, dict) else None
        if not isinstance(text, str):
            continue  # missing or of the wrong type: reported as such
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            yield f"strings.{key}: {exc} (write {{{{ and }}}} for a literal brace)"
            continue
        unknown, absent = names - wanted, wanted - names
        allowed = ", ".join("{" + w + "}" for w in sorted(wanted))
        if unknown:
            yield (f"strings.{key}: unknown placeholder {', '.join('{' + n + '}' for n in sorted(unknown))} "
                   f"(it may use {allowed})")
        if absent:
            yield f"strings.{key}: missing placeholder {', '.join('{' + n + '}' for n in sorted(absent))}"


def _cldr_problems(cldr: Any) -> list[str]:
    """A ``cldr`` that CLDR (Babel) does not know: dates would silently fall back to English."""
    from .i18n.formats import known_cldr

    if isinstance(cldr, str) and re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", cldr) and not known_cldr(cldr):
        return [f"'cldr' is '{cldr}', a locale CLDR does not know (write a language tag like \"es\" or \"en-GB\")"]
    return []


@cache
def load_locale_file(path: Path) -> LocaleFile:
    """Read and check one locale file: every key known, none missing, placeholders right."""
    raw = _read_json(path)
    problems = []
    if isinstance(raw, dict) and isinstance(raw.get("strings"), dict):
        raw = {**raw, "strings": {k: v for k, v in raw["strings"].items() if k not in RETIRED_STRINGS}}
    if isinstance(raw, dict):
        problems = [*_key_problems(raw, LocaleFile, ""), *_placeholder_problems(raw.get("strings"))]
        if isinstance(raw.get("language"), str) and raw["language"] != path.stem:
            problems.append(f"'language' is '{raw['language']}' but the file is {path.name}: they must agree")
        problems += _cldr_problems(raw.get("cldr"))
    return _convert(raw, LocaleFile, path, problems=problems)


class BadLocale(ResourceError):
    """A locale file that exists but is wrong (unknown or missing keys, placeholders, JSON)."""


def bundled_locales() -> Path:
    return DATA / "locales"


def locale_dirs(content: str | os.PathLike[str] | None = None,
                option: Iterable[str | os.PathLike[str]] = ()) -> tuple[str, ...]:
    """Where a leaflet's locale is looked for before the bundled ones, in order: the folders
    given as an option (``--locales DIR``); then ``locales/`` beside the content file; then
    ``locales/`` in the folder above it (shared by every leaflet of a content tree, e.g.
    ``content/locales/``). Folders given as an option must exist."""
    out: list[str] = []
    for folder in option:
        path = Path(folder)
        if not path.is_dir():
            kind = "a file" if path.is_file() else file_kind(path)
            if kind:
                raise ResourceError(f"{folder} is {kind}, not a folder of locale files "
                                    "(give a folder holding <language>.json files)")
            raise ResourceError(f"locale folder not found: {folder} (give a folder holding <language>.json files)")
        out.append(str(path.resolve()))
    if content is not None:
        here = Path(content).resolve().parent
        for candidate in (here / "locales", here.parent / "locales"):
            if candidate.is_dir():
                out.append(str(candidate))
    return tuple(dict.fromkeys(out))


def available_locales(dirs: Iterable[str | os.PathLike[str]] = ()) -> list[str]:
    return sorted({p.stem for d in (*map(Path, dirs), bundled_locales()) for p in d.glob("*.json")})


def locale_for(language: str, dirs: Iterable[str | os.PathLike[str]] = (), *, beside: bool = True) -> Locale:
    """The locale for a BCP 47 tag: the exact tag first, then its primary language; in each
    folder of ``dirs`` in order (see :func:`locale_dirs`), then among the bundled locales.
    ``beside``: as for :func:`locale_file` (only the error's hint differs)."""
    return _locale_for(language, tuple(str(d) for d in dirs), beside)


_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}")


def locale_file(language: str, dirs: Iterable[str | os.PathLike[str]] = (), *, beside: bool = True) -> Path:
    """The file of the locale for a BCP 47 tag, as :func:`locale_for` finds it (not checked);
    a ResourceError saying where it looked when there is none (``beside``: the leaflet is a
    file, with a folder to put a locales/ folder in; not so for standard input). A
    ``<tag>.json`` there that is not a regular file (a folder, a pipe) is a :class:`BadLocale`."""
    if not _TAG.fullmatch(language):  # it names a file: never "../x"
        raise ResourceError(f"'{language}' is not a language tag like 'en' or 'pt-BR'")
    candidates = list(dict.fromkeys([language, language.split("-")[0]]))
    folders = (*map(Path, dirs), bundled_locales())
    for tag in candidates:
        for folder in folders:
            path = folder / f"{tag}.json"
            if path.is_file():
                return path
            kind = file_kind(path)
            if kind:  # never read: a pipe could wait forever
                raise BadLocale(f"{shown(path)} is {kind}, not a locale file (a JSON file)")
    looked = ", ".join(shown(f / f"{t}.json") for f in folders for t in candidates)
    raise ResourceError(
        f"no locale strings for language '{language}' (looked for {looked}); "
        f"available: {', '.join(available_locales(dirs))}. "
        f"Make one from the English locale ('leaflet locale en > {language}.json'), translate its strings, set "
        "its language, name and script, and "
        + ("put it in locales/ beside the leaflet or in a folder given with --locales." if beside else
           "give the folder holding it with --locales DIR (a leaflet read from standard input has no folder "
           "beside it to look in).")
    )


def locale_status(path: Path) -> str:
    """What a locale file says about who made its strings (its ``status``: original, reviewed or
    machine-translation), "-" when it does not say; for listing, so never an error."""
    try:
        status = loads_json(path.read_text(encoding="utf-8")).get("status")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return "-"
    return status if isinstance(status, str) and status in LOCALE_STATUSES else "-"


def locale_files(dirs: Iterable[str | os.PathLike[str]] = ()) -> list[tuple[str, Path]]:
    """Every locale leaflet can find (the folders ``dirs``, then the bundled ones), by language
    tag: the file that wins for each tag."""
    found: dict[str, Path] = {}
    for folder in (*map(Path, dirs), bundled_locales()):
        for path in sorted(folder.glob("*.json")):
            found.setdefault(path.stem, path)
    return sorted(found.items())


@cache
def _locale_for(language: str, dirs: tuple[str, ...], beside: bool = True) -> Locale:
    path = locale_file(language, dirs, beside=beside)
    try:
        data = load_locale_file(path)
    except ResourceError as exc:
        raise BadLocale(str(exc)) from None
    strings = msgspec.structs.asdict(data.strings)
    strings["_cldr"] = cldr_locale(language, data.cldr or data.language)
    return Locale(language, data.script, data.direction, strings, str(path), data.status)


def cldr_locale(language: str, default: str) -> str:
    """The CLDR locale (Babel's spelling, ``en_GB``) a leaflet's dates and numbers are written in:
    its own language tag when that says more than the language (``en-US``, ``pt-BR``, ``zh-Hant``)
    and CLDR knows it; else the locale file's ``cldr`` (``en.json`` says ``en-GB``). A locale that
    CLDR does not know falls back to its language, then to English's conventions."""
    from .i18n.formats import known_cldr

    if "-" in language and known_cldr(language):
        return known_cldr(language) or ""
    return known_cldr(default) or known_cldr(default.replace("_", "-").split("-")[0]) or "en"


# themes ------------------------------------------------------------------------------

Points = Annotated[float, msgspec.Meta(gt=0)]
Space = Annotated[float, msgspec.Meta(ge=0)]
Hex = Annotated[str, msgspec.Meta(pattern="^#[0-9a-fA-F]{6}$")]


class TextSize(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    size: Points
    leading: Points


class HeadingSize(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    size: Points
    leading: Points
    space_before: Space
    space_after: Space


class Margins(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    top: Space
    bottom: Space
    left: Space
    right: Space


class Colors(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    text: Hex
    muted: Hex
    rule: Hex
    table_header_bg: Hex
    table_header_text: Hex
    table_stripe: Hex
    table_grid: Hex
    common_border: Hex
    common_bg: Hex
    serious_border: Hex
    serious_bg: Hex
    serious_band: Hex
    serious_band_text: Hex
    common_band: Hex
    common_band_text: Hex
    precaution_border: Hex
    precaution_bg: Hex
    banner_bg: Hex
    banner_text: Hex


class Borders(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    common: Points
    serious: Points
    precaution: Points


class Theme(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A theme: sizes in points, margins in millimetres, colours as #rrggbb. A theme file may
    say ``"extends": "<theme>"`` and give only what differs (mappings merge key by key)."""

    margins_mm: Margins
    body: TextSize
    title: TextSize
    subtitle: TextSize
    kicker: TextSize
    heading: HeadingSize
    subheading: HeadingSize
    footer: TextSize
    header: TextSize
    paragraph_space: Space
    box_padding: Space
    colors: Colors
    borders: Borders
    comment: str = msgspec.field(default="", name="_comment")


def available_themes() -> list[str]:
    return sorted(p.stem for p in (DATA / "themes").glob("*.json"))


def _theme_path(name: str, base: Path | None = None) -> Path:
    """A bundled theme's name, or the path of a theme file (ending in .json; relative to the
    folder of the theme that extends it, or to the current folder)."""
    if name.lower().endswith(".json"):
        path = (base / name) if base is not None else Path(name)
        if not path.is_file():
            kind = file_kind(path)  # never read: a pipe could wait forever
            raise ResourceError(f"theme file {path} is {kind}, not a theme file (a .json file)" if kind else
                                f"theme file not found: {path}")
        return path.resolve()
    path = DATA / "themes" / f"{name}.json"
    if "/" in name or "\\" in name or not path.is_file():
        from difflib import get_close_matches  # only for a hint

        close = get_close_matches(name, available_themes(), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ResourceError(f"unknown theme '{name}'{hint}; available: {', '.join(available_themes())}, "
                            "or the path of a theme file ending in .json")
    return path


def _theme_data(path: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    if path in chain:
        raise ResourceError(f"{shown(path)}: 'extends' goes round in a circle: "
                            f"{' -> '.join(p.stem for p in (*chain, path))}")
    data = _read_json(path)
    if not isinstance(data, dict):
        raise ResourceError(f"{shown(path)}: a theme is a JSON object of settings")
    problems = list(_key_problems(data, Theme, "", missing=False, extra=frozenset({"extends"})))
    if problems:
        raise ResourceError(f"{shown(path)}: " + "; ".join(problems))
    base = data.pop("extends", None)
    if base is None:
        return data
    if not isinstance(base, str):
        raise ResourceError(f"{shown(path)}: 'extends' names another theme, e.g. \"default\"")
    merged = _theme_data(_theme_path(base, path.parent), (*chain, path))
    for key, value in data.items():
        if key == "_comment":
            continue
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def theme(name: str = "default") -> dict[str, Any]:
    """A theme's settings (merged with the theme it extends), checked against :class:`Theme`:
    a bundled theme by name, or a theme file by its path (ending in .json)."""
    return _theme(_theme_path(name))


@cache
def _theme(path: Path) -> dict[str, Any]:
    checked = _convert(_theme_data(path), Theme, path)
    return msgspec.to_builtins(checked)


# the font table ------------------------------------------------------------------------


class FontFace(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A font family's files in fonts/; without ``bold``, bold text uses the regular file."""

    regular: str
    bold: str | None = None


class ChainEntry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A family in a script's chain, used only for the characters in ``ranges`` (the name of a
    set in the table's ``ranges``, or a list of "XXXX-YYYY" code point ranges), if given."""

    family: str
    ranges: str | list[str] | None = None


_RANGE = re.compile(r"^([0-9A-Fa-f]{4,6})(?:-([0-9A-Fa-f]{4,6}))?$")


class FontTable(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``fonts.json``: the families, and for each script its chain of them (primary first)."""

    faces: dict[str, FontFace]
    scripts: dict[str, Annotated[list[str | ChainEntry], msgspec.Meta(min_length=1)]]
    ranges: dict[str, list[str]] = {}
    comment: str = msgspec.field(default="", name="_comment")

    def chain(self, script: str) -> list[tuple[str, frozenset[int] | None]]:
        """(family, the code points it may print or None for all of them) for each family of
        a script's chain, in order."""
        out: list[tuple[str, frozenset[int] | None]] = []
        for entry in self.scripts[script]:
            if isinstance(entry, str):
                out.append((entry, None))
                continue
            spec = self.ranges[entry.ranges] if isinstance(entry.ranges, str) else entry.ranges
            if spec is None:
                out.append((entry.family, None))
                continue
            points: set[int] = set()
            for item in spec:
                m = _RANGE.match(item)
                assert m is not None  # checked when the table was loaded
                points.update(range(int(m.group(1), 16), int(m.group(2) or m.group(1), 16) + 1))
            out.append((entry.family, frozenset(points)))
        return out


@cache
def font_table() -> FontTable:
    path = DATA / "fonts.json"
    table = _convert(_read_json(path), FontTable, path)
    problems = []

    def did_you_mean(name: str, known: Iterable[str]) -> str:
        from difflib import get_close_matches  # only for a hint

        close = get_close_matches(name, list(known), n=1)
        return f" (did you mean '{close[0]}'?)" if close else ""

    for name, spec in table.ranges.items():
        problems += [f"ranges.{name}: '{r}' is not a code point range like \"2190-21FF\"" for r in spec
                     if not _RANGE.match(r)]
    for script, chain in table.scripts.items():
        for entry in chain:
            family = entry if isinstance(entry, str) else entry.family
            if family not in table.faces:
                problems.append(f"scripts.{script}: no family '{family}' in 'faces'{did_you_mean(family, table.faces)}")
            if isinstance(entry, ChainEntry) and isinstance(entry.ranges, str) and entry.ranges not in table.ranges:
                problems.append(f"scripts.{script}: no set '{entry.ranges}' in 'ranges'"
                                f"{did_you_mean(entry.ranges, table.ranges)}")
            if isinstance(entry, ChainEntry) and isinstance(entry.ranges, list):
                problems += [f"scripts.{script}: '{r}' is not a code point range like \"2190-21FF\""
                             for r in entry.ranges if not _RANGE.match(r)]
    if problems:
        raise ResourceError(f"{shown(path)}: " + "; ".join(problems))
    return table
