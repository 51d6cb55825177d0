"""The service's web form (``GET /``): plain HTML, a little JavaScript (form.js), no CDN.

The form names the prescription's fields as the record does (``patient``, ``directions`` ...);
an error in the service's 422 answer is shown beside the field its ``field`` names. Its labels
come from the chosen language's locale where the locale has them (the personal panel's labels),
else in English; the page turns right-to-left for a right-to-left language.
"""
from __future__ import annotations

import html
import json
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from ..errors import ResourceError
from ..resources import locale_for
from .library import language_info

# (field, English label, input type, has a hint) in the panel's order (USP <17>)
FIELDS: list[tuple[str, str, str, bool]] = [
    ("patient", "Patient", "text", False),
    ("directions", "Directions", "textarea", True),
    ("purpose", "Purpose", "text", True),
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
]
# a field's label: the locale's panel_<field> (the personal panel's own label), else the form's strings
# (strings.json), else English; these fields have no label of their own in the panel
FORM_LABELS = ("strength", "form", "pharmacy_address", "pharmacy_phone")


@cache
def _form_strings() -> dict[str, dict[str, str]]:
    data = json.loads(asset("strings.json").decode("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def ui(language: str) -> dict[str, str]:
    """The form's own words in ``language`` (its primary subtag, else English), from strings.json."""
    table = _form_strings()
    found = table.get(language) or table.get(language.split("-")[0]) or {}
    return {**table["en"], **found}


def _label(strings: dict[str, Any], field: str) -> str | None:
    value = strings.get(f"panel_{field}")
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
        labels[field] = own or words.get(field, default)
    hints = {field: words[f"hint_{field}"] for field, _label_, _kind, hint in FIELDS if hint}
    return {"language": language, "direction": info["direction"], "name": info["name"], "labels": labels,
            "hints": hints, "ui": {k: v for k, v in words.items() if not k.startswith("hint_") and k not in FORM_LABELS}}


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
        hint_html = f'<span class="hint" id="h-{field}">{e(hint)}</span>' if hint else ""
        described = f"h-{field} e-{field}" if hint else f"e-{field}"
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
<option value="a4">A4</option><option value="letter">Letter</option></select></div>
<div class="field" id="r-brand" hidden><label for="f-brand" id="l-brand">{e(words["brand"])}</label>
<select id="f-brand"></select></div>
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
