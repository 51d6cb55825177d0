"""The service's web form (``GET /``): plain HTML, a little JavaScript (form.js), no CDN.

The form names the prescription's fields as the record does (``patient``, ``directions`` ...);
an error in the service's 422 answer is shown beside the field its ``field`` names, in the
form's language (``ERRORS``: by the problem's code and field; else leaflet's English words). Its
labels come from the chosen language's locale where the locale has them (the personal panel's
labels), else from strings.json, else in English; the page turns right-to-left for a
right-to-left language.
"""
from __future__ import annotations

import html
import json
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from ..errors import ResourceError
from ..personal.model import MAX_REFILLS
from ..resources import locale_for
from .library import language_info

# (field, English label, input type, has a hint) in the panel's order (USP <17>)
FIELDS: list[tuple[str, str, str, bool]] = [
    ("patient", "Patient", "text", False),
    ("directions", "Directions", "textarea", True),
    ("purpose", "Purpose", "text", True),
    ("brand", "Brand name", "text", True),
    ("strength", "Strength", "text", True),
    ("form", "Form", "text", True),
    ("prescriber", "Prescriber", "text", False),
    ("pharmacy", "Pharmacy", "text", False),
    ("pharmacy_address", "Pharmacy address", "textarea", False),
    ("pharmacy_phone", "Pharmacy phone", "tel", False),
    ("rx_number", "Rx number", "text", False),
    ("dispensed", "Date dispensed", "date", True),
    ("quantity", "Quantity", "text", False),
    ("refills", "Refills", "text", False),
    ("digital_url", "Digital leaflet", "url", True),
]
# a field's label: the locale's panel_<field> (the personal panel's own label), else the form's strings
# (strings.json), else English; these fields have no label of their own in the panel
FORM_LABELS = ("strength", "form", "pharmacy_address", "pharmacy_phone")
# the locale's key of a field's label, when it is not panel_<field>: the digital leaflet's panel label, and
# for the brand dispensed the leaflet's own "Brand name"
PANEL_LABEL = {"digital_url": "panel_digital", "brand": "brand_name"}
# the key of a field's label in strings.json, when it is not the field's name ("brand" there is the word
# for the service's brands: the clinic or pharmacy, a choice of the form's)
FORM_LABEL_KEY = {"brand": "brand_dispensed"}
# the message shown beside a field for a problem of the service's 422 answer, by its code and field
# ("code:field", else "code"): a key of strings.json, in the form's language; a problem with none is
# shown in leaflet's own (English) words
ERRORS: dict[str, str] = {
    "missing-field": "err_required", "empty-text": "err_empty",
    "value:dispensed": "err_date", "type:dispensed": "err_date",
    "value:refills": "err_refills", "type:refills": "err_refills",
    "value:quantity": "err_quantity", "type:quantity": "err_quantity",
    "value:digital_url": "err_url", "type:digital_url": "err_url",
    "character": "err_character", "glyph": "err_glyph", "panel": "err_panel",
}
# the form's words for an answer that is no PDF and no list of problems, by its "error" kind (the
# service's message is English); an answer of another kind is shown in the service's words
SERVICE_ERRORS: dict[str, str] = {"busy": "err_busy", "timeout": "err_timeout", "internal": "err_internal",
                                  "too-large": "err_too_large"}


@cache
def _form_strings() -> dict[str, dict[str, str]]:
    """strings.json: for each language, the form's words (texts by key); checked when read: a
    language whose words are not all texts is a ResourceError naming it (a word missing in one
    falls back to English: tests/test_service.py keeps every language's keys those of English)."""
    data = json.loads(asset("strings.json").decode("utf-8"))
    table = {k: v for k, v in data.items() if not k.startswith("_")}
    for language, words in table.items():
        if not isinstance(words, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                                  for k, v in words.items()):
            raise ResourceError(f"leaflet/service/strings.json: the form's words in '{language}' are not all "
                                "texts (each key a text, each value a text that is not empty)")
    if "en" not in table:
        raise ResourceError("leaflet/service/strings.json: the form's words have no English ('en')")
    return table


def ui(language: str) -> dict[str, str]:
    """The form's own words in ``language`` (its primary subtag, else English), from strings.json."""
    table = _form_strings()
    found = table.get(language) or table.get(language.split("-")[0]) or {}
    return {**table["en"], **found}


def _label(strings: dict[str, Any], field: str) -> str | None:
    value = strings.get(PANEL_LABEL.get(field, f"panel_{field}"))
    if isinstance(value, str) and value.strip() and "{" not in value:
        return value.strip().rstrip(":：").strip()
    return None


@cache
def strings(language: str) -> dict[str, Any]:
    """The form's labels, words and direction for ``language`` (GET /form/strings/{language})."""
    info = language_info(language)
    try:
        locale_strings = locale_for(language).strings
    except ResourceError:
        locale_strings = {}
    words = ui(language)
    labels = {}
    for field, default, _kind, _hint in FIELDS:
        own = None if field in FORM_LABELS else _label(locale_strings, field)
        labels[field] = own or words.get(FORM_LABEL_KEY.get(field, field), default)
    hints = {field: words[f"hint_{field}"] for field, _label_, _kind, hint in FIELDS if hint}
    errors = {kind: words[key].replace("{max}", str(MAX_REFILLS)) for kind, key in ERRORS.items()}
    errors["date-incomplete"] = words["err_date_incomplete"]  # the form's own check of the date control
    errors.update({f"service:{kind}": words[key] for kind, key in SERVICE_ERRORS.items()})
    label_words = {*FORM_LABELS, *FORM_LABEL_KEY.values(), "digital_url"}
    return {"language": language, "direction": info["direction"], "name": info["name"], "labels": labels,
            "hints": hints, "errors": errors,
            "ui": {k: v for k, v in words.items() if not k.startswith(("hint_", "err_")) and k not in label_words}}


def asset(name: str) -> bytes:
    return importlib_resources.files(__package__).joinpath(name).read_bytes()


def page(needs_token: bool) -> str:
    """The form, in English until a language is chosen (form.js fills in the leaflets)."""
    e = html.escape
    english = strings("en")
    words = english["ui"]
    rows = []
    for field, _default, kind, has_hint in FIELDS:
        label, hint = english["labels"][field], english["hints"].get(field, "") if has_hint else ""
        # the date's hint (YYYY-MM-DD) is for a browser without a date control of its own, where the
        # field is a text box: one with a control shows the date its own way (form.js shows the hint
        # only when the field is a text box)
        hidden = " hidden" if kind == "date" else ""
        hint_html = f'<span class="hint" id="h-{field}"{hidden}>{e(hint)}</span>' if hint else ""
        described = f"h-{field} e-{field}" if hint and kind != "date" else f"e-{field}"
        attrs = f'id="f-{field}" name="{field}" dir="auto" aria-describedby="{described}"'
        if kind == "textarea":
            control = f"<textarea {attrs} rows=\"2\"></textarea>"
        else:
            control = f'<input {attrs} type="{kind}" autocomplete="off">'
        rows.append(f'<div class="field" id="r-{field}"><label for="f-{field}" id="l-{field}">{e(label)}</label>'
                    f'{control}{hint_html}<span class="error" id="e-{field}" role="alert" aria-live="polite"></span>'
                    "</div>")
    token = ('<div class="field"><label for="f-token" id="l-token">' + e(words["token"]) + '</label>'
             '<input id="f-token" type="password" autocomplete="off" aria-describedby="e-token">'
             '<span class="error" id="e-token" role="alert"></span></div>') if needs_token else ""
    return f"""<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title id="t-title">{e(words["title"])} · leaflet</title>
<link rel="stylesheet" href="form.css">
<script src="form.js" defer></script>
</head>
<body>
<main>
<h1 id="title">{e(words["title"])}</h1>
<form id="rx" novalidate data-token="{'yes' if needs_token else 'no'}">
{token}
<div class="choice">
<div class="field"><label for="f-leaflet" id="l-leaflet">{e(words["leaflet"])}</label><select id="f-leaflet"></select></div>
<div class="field"><label for="f-language" id="l-language">{e(words["language"])}</label>
<select id="f-language"></select></div>
<div class="field"><label for="f-paper" id="l-paper">{e(words["paper"])}</label><select id="f-paper">
<option value="a4">A4</option><option value="letter">Letter</option><option value="a5">A5</option></select></div>
<div class="field" id="r-clinic" hidden><label for="f-clinic" id="l-clinic">{e(words["brand"])}</label>
<select id="f-clinic"></select></div>
</div>
<p id="status" role="status" aria-live="polite"></p>
<p class="error" id="e-form" role="alert"></p>
<fieldset id="panel"><legend id="legend">{e(words["title"])}</legend>
{chr(10).join(rows)}
</fieldset>
<button type="submit" id="submit">{e(words["submit"])}</button>
<a id="download" hidden>{e(words["download"])}</a>
</form>
</main>
</body>
</html>
"""
