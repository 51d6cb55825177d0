"""A prescription from a FHIR R4 Bundle: a Patient, a MedicationRequest and, optionally, a
MedicationDispense (with the Practitioner, Organization, Location and Medication they reference).

:func:`from_bundle` takes the Bundle as JSON text (bytes or str) or as already parsed data, maps
its elements to the prescription's fields (the table is in the README, "Prescriptions from FHIR")
and validates them with :func:`leaflet.personal.model.from_record`, like every other input. Each
problem names the FHIR element (``Bundle.entry[2].resource.dosageInstruction[0]``) and, for JSON
text, its line and column; never a value (patient data).

No FHIR library is needed: the JSON is read here (keeping every element's line and column, and
refusing duplicate keys), and only the elements the panel prints are looked at. References are
resolved inside the Bundle as the FHIR specification says (Bundle, "Resolving references in
Bundles"): ``#id`` names a contained resource, an absolute reference (``urn:uuid:…``,
``https://…/Patient/1``) an entry's ``fullUrl``, and a relative one (``Patient/1``) the entry
whose ``fullUrl`` is that reference read against the referring entry's server base, or else the
entry whose resource has that type and id. A reference with no resource in the Bundle is an
error, unless it carries a ``display`` text (then the display is used, for names).
"""
from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ..content import loader
from ..errors import ContentError, Diagnostic, PathPart, UsageError
from . import model

JsonPath = tuple[PathPart, ...]
MAX_DEPTH = 64
MAX_INPUT_SIZE = loader.MAX_INPUT_SIZE
_NUMBER = json.scanner.NUMBER_RE
_WS = re.compile(r"[ \t\n\r]*")
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


# --- JSON with places -------------------------------------------------------------------------------


class JsonText:
    """JSON text parsed into plain data (dict, list, str, int, Decimal for decimals as written,
    bool, None), with the line and column where each value starts."""

    def __init__(self, text: str, file: str) -> None:
        self.text, self.file = text, file
        self.places: dict[JsonPath, tuple[int, int]] = {}
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.data = self._document()

    def place(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _fail(self, offset: int, message: str, hint: str = "") -> ContentError:
        line, column = self.place(offset)
        return ContentError([Diagnostic(message, (), hint or "check the JSON near here (a comma, a quote or a "
                                        "bracket)", self.file, line, column, "json-syntax")])

    def _document(self) -> Any:
        end = _WS.match(self.text, 0).end()  # type: ignore[union-attr]
        if end == len(self.text):
            raise self._fail(end, "the file is empty", "a FHIR Bundle is a JSON object: {\"resourceType\": \"Bundle\", …}")
        value, end = self._value(end, ())
        end = _WS.match(self.text, end).end()  # type: ignore[union-attr]
        if end != len(self.text):
            raise self._fail(end, "more text after the end of the JSON value", "a file holds one JSON object")
        return value

    def _value(self, at: int, path: JsonPath) -> tuple[Any, int]:
        if len(path) > MAX_DEPTH:
            raise self._fail(at, f"the JSON is nested more than {MAX_DEPTH} levels deep", "is this a FHIR Bundle?")
        self.places[path] = self.place(at)
        text = self.text
        char = text[at:at + 1]
        if char == "{":
            return self._object(at + 1, path)
        if char == "[":
            return self._array(at + 1, path)
        if char == '"':
            return self._string(at)
        match = _NUMBER.match(text, at)
        if match:
            whole, fraction, exponent = match.groups()
            literal = match.group(0)
            return (int(whole) if not fraction and not exponent else Decimal(literal)), match.end()
        for word, value in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, at):
                return value, at + len(word)
        if at >= len(text):
            raise self._fail(at, "the JSON ends too soon: a value is missing", "is the file cut short?")
        raise self._fail(at, "not a JSON value here", "texts are in double quotes; true, false, null are lower case")

    def _string(self, at: int) -> tuple[str, int]:
        try:
            return _scanstring(self.text, at + 1, True)
        except json.JSONDecodeError as exc:
            # (its message may quote the text: say what it means instead)
            raise self._fail(exc.pos, "a text that is not closed, or holds a control character or a bad escape",
                             "close the text with \"; write a line break as \\n") from None

    def _skip(self, at: int) -> int:
        return _WS.match(self.text, at).end()  # type: ignore[union-attr]

    def _object(self, at: int, path: JsonPath) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        at = self._skip(at)
        if self.text.startswith("}", at):
            return out, at + 1
        while True:
            if not self.text.startswith('"', at):
                raise self._fail(at, "expected a key in double quotes", "keys are in double quotes; no comma before }")
            key_at = at
            key, at = self._string(at)
            if key in out:
                raise self._fail(key_at, f"the key '{_shown(key)}' is given twice in one object",
                                 "JSON would keep only the last one: remove one of them")
            at = self._skip(at)
            if not self.text.startswith(":", at):
                raise self._fail(at, "expected ':' after the key")
            value, at = self._value(self._skip(at + 1), (*path, key))
            out[key] = value
            at = self._skip(at)
            if self.text.startswith(",", at):
                at = self._skip(at + 1)
                continue
            if self.text.startswith("}", at):
                return out, at + 1
            raise self._fail(at, "expected ',' or '}' after a value in an object")

    def _array(self, at: int, path: JsonPath) -> tuple[list[Any], int]:
        out: list[Any] = []
        at = self._skip(at)
        if self.text.startswith("]", at):
            return out, at + 1
        while True:
            value, at = self._value(at, (*path, len(out)))
            out.append(value)
            at = self._skip(at)
            if self.text.startswith(",", at):
                at = self._skip(at + 1)
                continue
            if self.text.startswith("]", at):
                return out, at + 1
            raise self._fail(at, "expected ',' or ']' after a value in a list")


def _shown(key: str) -> str:
    key = key if key.isprintable() else key.encode("unicode_escape").decode()
    return key if len(key) <= 40 else key[:39] + "…"


# --- the Bundle ---------------------------------------------------------------------------------------


def element(path: JsonPath) -> str:
    """('entry', 2, 'resource', 'dosageInstruction', 0) -> 'Bundle.entry[2].resource.dosageInstruction[0]'."""
    out = "Bundle"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


class _Found:
    """A value found in the Bundle, and the path of the element it came from."""

    __slots__ = ("path", "value")

    def __init__(self, value: Any, path: JsonPath) -> None:
        self.value, self.path = value, path


class _Bundle:
    def __init__(self, data: Any, file: str, places: Mapping[JsonPath, tuple[int, int]]) -> None:
        self.data, self.file, self.places = data, file, places
        self.problems: list[Diagnostic] = []
        self.entries: list[tuple[JsonPath, str, dict[str, Any]]] = []  # (path of the resource, fullUrl, resource)

    # places and problems
    def location(self, path: JsonPath, note: str = "") -> model.Location:
        probe = path
        while probe and probe not in self.places:
            probe = probe[:-1]
        line, column = self.places.get(probe, (0, 0))
        return model.Location(file=self.file, line=line, column=column, element=element(path) + note)

    def problem(self, path: JsonPath, message: str, hint: str, code: str = "fhir", field: str | None = None) -> None:
        self.problems.append(self.location(path).diagnostic(message, field, hint, code=code))

    # typed access: a wrong kind of element is a problem, and is not used
    def get(self, node: _Found | None, key: str, kind: type | tuple[type, ...], what: str) -> _Found | None:
        if node is None or not isinstance(node.value, dict) or key not in node.value or node.value[key] is None:
            return None
        value, path = node.value[key], (*node.path, key)
        if kind is str and isinstance(value, str) and not value.strip():
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.problem(path, f"expected {what}", "see the FHIR R4 specification for this element", "type")
            return None
        return _Found(value, path)

    def items(self, node: _Found | None, key: str) -> list[_Found]:
        """The elements of a list (a single object where a list is expected is taken as one)."""
        found = self.get(node, key, (list, dict), "a list")
        if found is None:
            return []
        if isinstance(found.value, dict):
            self.problem(found.path, "expected a list", "write [ … ] around it (FHIR JSON writes a repeating element "
                         "as a list, even of one)", "type")
            return []
        return [_Found(v, (*found.path, i)) for i, v in enumerate(found.value) if isinstance(v, dict)]

    def text(self, node: _Found | None, key: str) -> _Found | None:
        return self.get(node, key, str, "a text")

    # the Bundle's entries and its references
    def read_entries(self) -> None:
        root = _Found(self.data, ())
        for entry in self.items(root, "entry"):
            resource = self.get(entry, "resource", dict, "a resource (an object)")
            if resource is None:
                continue
            full = self.text(entry, "fullUrl")
            self.entries.append((resource.path, full.value.strip() if full else "", resource.value))

    def of_type(self, kind: str) -> list[_Found]:
        return [_Found(r, p) for p, _, r in self.entries if r.get("resourceType") == kind]

    def resolve(self, ref: _Found | None, container: _Found | None, kinds: tuple[str, ...]) -> _Found | None:
        """The resource a Reference names (one of ``kinds``), or None: a problem when it names one
        that is not in the Bundle and has no display text to fall back on."""
        if ref is None or container is None or not isinstance(ref.value, dict):
            return None
        literal = self.text(ref, "reference")
        if literal is None:
            return None
        target = literal.value.strip()
        found: _Found | None = None
        if target.startswith("#"):
            for item in self.items(container, "contained"):
                if item.value.get("id") == target[1:]:
                    found = item
                    break
        else:
            referrer = next((u for p, u, _ in self.entries if p == container.path[:len(p)] and len(p) <= len(
                container.path)), "")
            candidates = [target]
            server = re.match(r"^(https?://.+/)[A-Za-z]+/[^/]+$", referrer)
            if server and not re.match(r"^[a-z][a-z0-9+.-]*:", target):
                candidates.append(server.group(1) + target)
            for path, full, resource in self.entries:
                if full and full in candidates:
                    found = _Found(resource, path)
                    break
            if found is None:
                typed = re.fullmatch(r"(?:.*/)?([A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?", target)
                if typed:
                    for path, _, resource in self.entries:
                        if resource.get("resourceType") == typed.group(1) and resource.get("id") == typed.group(2):
                            found = _Found(resource, path)
                            break
        if found is None:
            if self.text(ref, "display") is None:
                self.problem(literal.path, "the reference names no resource in the Bundle", (
                    "add the resource as an entry whose fullUrl is the reference (or give the reference a display "
                    "text)"), "reference")
            return None
        if found.value.get("resourceType") not in kinds:
            self.problem(literal.path, f"the reference names a {_shown(str(found.value.get('resourceType')))}, not "
                         f"a {' or '.join(kinds)}", "point it at the right entry", "reference")
            return None
        return found


# --- the FHIR data types the panel prints ---------------------------------------------------------------


_NAME_USE = {"official": 0, "usual": 1, None: 2, "temp": 3, "nickname": 4, "anonymous": 5, "old": 8, "maiden": 9}


# HumanName's display order (FHIR extension; codes of HL7 v2 table 0444): "F" family name first
# ("Prefix Family Given Suffix": Japanese, Chinese, Korean, Hungarian names), "G" given name first
_ASSEMBLY_ORDER = "http://hl7.org/fhir/StructureDefinition/humanname-assembly-order"


def _family_first(bundle: _Bundle, name: _Found) -> bool:
    return any(ext.value.get("url") == _ASSEMBLY_ORDER and ext.value.get("valueCode") == "F"
               for ext in bundle.items(name, "extension"))


def _human_name(bundle: _Bundle, resource: _Found) -> _Found | None:
    """HumanName.text, else prefix, given, family and suffix joined by spaces (prefix, family,
    given and suffix where its humanname-assembly-order extension says F); the official name
    first (a dispensing label names the patient as their records and documents do), then the
    usual one, an old or maiden name last."""
    names = bundle.items(resource, "name")
    names.sort(key=lambda n: _NAME_USE.get(n.value.get("use"), 6) if isinstance(n.value.get("use"), (str, type(
        None))) else 6)
    for name in names:
        text = bundle.text(name, "text")
        if text is not None:
            return text
        parts: list[str] = []
        family = bundle.text(name, "family")
        keys = ("prefix", "family", "given", "suffix") if _family_first(bundle, name) else \
            ("prefix", "given", "family", "suffix")
        for key in keys:
            if key == "family":
                parts += [family.value] if family is not None else []
                continue
            found = bundle.get(name, key, list, "a list of texts")
            parts += [p for p in (found.value if found else []) if isinstance(p, str) and p.strip()]
        if parts:
            return _Found(" ".join(p.strip() for p in parts), name.path)
    return None


def _concept(bundle: _Bundle, concept: _Found | None) -> _Found | None:
    """A CodeableConcept's words: its text, else its first coding's display."""
    if concept is None:
        return None
    text = bundle.text(concept, "text")
    if text is not None:
        return text
    for coding in bundle.items(concept, "coding"):
        display = bundle.text(coding, "display")
        if display is not None:
            return display
    return None


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _quantity(bundle: _Bundle, quantity: _Found | None, with_unit: bool = True) -> _Found | None:
    """A Quantity as printed: its value as written, then its unit (or its code)."""
    if quantity is None:
        return None
    value = bundle.get(quantity, "value", (int, float, Decimal), "a number")
    if value is None:
        return None
    unit = bundle.text(quantity, "unit") or bundle.text(quantity, "code")
    text = _number(value.value) + (f" {unit.value.strip()}" if unit and with_unit else "")
    return _Found(text, value.path)


_PER_DOSE_UNIT = re.compile(r"^(\{?(tablet|tab|tbl|capsule|cap|patch|suppository|lozenge|puff|dose|each)s?\}?|1)$",
                            re.IGNORECASE)


def _strength(bundle: _Bundle, medication: _Found) -> _Found | None:
    """Medication.ingredient[].strength (a Ratio): '10 mg' for 10 mg per 1 tablet, '5 mg/5 mL'
    otherwise; several ingredients joined by ' + '."""
    parts: list[str] = []
    path: JsonPath | None = None
    for ingredient in bundle.items(medication, "ingredient"):
        ratio = bundle.get(ingredient, "strength", dict, "a Ratio (an object)")
        numerator = _quantity(bundle, bundle.get(ratio, "numerator", dict, "a Quantity (an object)"))
        if numerator is None:
            continue
        path = path or numerator.path
        text = numerator.value
        denominator = bundle.get(ratio, "denominator", dict, "a Quantity (an object)")
        if denominator is not None:
            value = bundle.get(denominator, "value", (int, float, Decimal), "a number")
            unit = bundle.text(denominator, "unit") or bundle.text(denominator, "code")
            unit_text = unit.value.strip() if unit else ""
            amount = "" if value is None or _number(value.value) in ("1", "1.0") else _number(value.value)
            if amount or (unit_text and not _PER_DOSE_UNIT.match(unit_text)):
                text += "/" + (amount + " " if amount else "") + unit_text
        parts.append(text)
    return _Found(" + ".join(parts), path) if parts and path is not None else None


def _telecom(bundle: _Bundle, resource: _Found | None) -> _Found | None:
    """The phone number of ContactPoints: system phone, not 'old', work first, then by rank."""
    phones = [t for t in bundle.items(resource, "telecom") if t.value.get("system") == "phone"
              and t.value.get("use") != "old"]
    phones.sort(key=lambda t: (t.value.get("use") != "work", t.value.get("rank") if isinstance(
        t.value.get("rank"), int) else 1 << 30))
    for phone in phones:
        value = bundle.text(phone, "value")
        if value is not None:
            return value
    return None


def _country(text: str, language: Any) -> str:
    """Address.country as printed: an ISO 3166 code (``MX``, ``MEX``; FHIR allows one in place of a
    name) as CLDR names the country in ``language`` (``México``, ``المكسيك``); anything else (a
    name written out, a language CLDR does not have) as written."""
    from ..i18n.formats import country_name

    if isinstance(language, str) and model.language_tag(language.strip()):
        return country_name(text, model.canonical_language(language.strip())) or text
    return text


def _address(bundle: _Bundle, resource: _Found | None, language: Any = None) -> _Found | None:
    """An Address as lines: Address.text, else its lines, then 'city, district, state postal code',
    then the country (an ISO 3166 code named in ``language``, see :func:`_country`). A Location has
    one address, an Organization a list (not 'old' or billing)."""
    if resource is None:
        return None
    if isinstance(resource.value.get("address"), dict):
        addresses = [_Found(resource.value["address"], (*resource.path, "address"))]
    else:
        addresses = [a for a in bundle.items(resource, "address") if a.value.get("use") not in ("old", "billing")
                     and a.value.get("type") != "postal"] or bundle.items(resource, "address")
    for address in addresses:
        text = bundle.text(address, "text")
        if text is not None:
            return text
        found = bundle.get(address, "line", list, "a list of texts")
        lines = [p.strip() for p in (found.value if found else []) if isinstance(p, str) and p.strip()]
        words = [t.value.strip() for t in (bundle.text(address, k) for k in ("city", "district")) if t]
        region = " ".join(t.value.strip() for t in (bundle.text(address, k) for k in ("state", "postalCode")) if t)
        place = ", ".join([*words, region] if region else words)
        country = bundle.text(address, "country")
        lines += [x for x in (place, _country(country.value.strip(), language) if country else "") if x]
        if lines:
            return _Found("\n".join(lines), address.path)
    return None


# --- Bundle -> record -----------------------------------------------------------------------------------


class _Record:
    def __init__(self, bundle: _Bundle) -> None:
        self.bundle = bundle
        self.values: dict[str, Any] = {}
        self.paths: dict[str, JsonPath] = {}
        self.expected: dict[str, str] = {}  # field -> the element it comes from, when absent
        self.blamed: set[str] = set()  # fields absent because of a problem already reported
        self.fatal = False  # no MedicationRequest to read (or no one to choose): nothing else to say
        self._seen = 0

    def put(self, field: str, found: _Found | None, expected: str) -> None:
        """``field``'s value (None: absent, expected at ``expected``); a problem found while
        looking for it (a dangling reference) is reported instead of its absence."""
        if found is not None:
            self.values[field] = found.value
            self.paths[field] = found.path
        else:
            self.expected[field] = expected
            if len(self.bundle.problems) > self._seen:
                self.blamed.add(field)
        self._seen = len(self.bundle.problems)


def _one(bundle: _Bundle, kind: str, required: bool) -> _Found | None:
    found = bundle.of_type(kind)
    if not found:
        if required:
            bundle.problem(("entry",) if "entry" in bundle.data else (), f"the Bundle holds no {kind}", (
                "a prescription Bundle holds a Patient, a MedicationRequest and, optionally, a MedicationDispense"),
                "fhir")
        return None
    return found[0]


def _record(bundle: _Bundle, language: str | None = None) -> _Record:
    rec = _Record(bundle)
    requests = bundle.of_type("MedicationRequest")
    dispenses = bundle.of_type("MedicationDispense")
    request: _Found | None = None
    if not requests:
        _one(bundle, "MedicationRequest", True)
    elif len(requests) == 1:
        request = requests[0]
    else:
        # several: the one the dispense was for
        for candidate in dispenses:
            for ref in bundle.items(candidate, "authorizingPrescription"):
                request = request or bundle.resolve(ref, candidate, ("MedicationRequest",))
        if request is None:
            bundle.problem(requests[1].path, f"the Bundle holds {len(requests)} MedicationRequests", (
                "one Bundle is one leaflet: send one MedicationRequest (or a MedicationDispense whose "
                "authorizingPrescription names the one to print)"), "fhir")
    dispense: _Found | None = None
    if len(dispenses) == 1:
        dispense = dispenses[0]
    elif len(dispenses) > 1:
        if request is not None:
            for candidate in dispenses:
                for ref in bundle.items(candidate, "authorizingPrescription"):
                    named = bundle.resolve(ref, candidate, ("MedicationRequest",))
                    if named is not None and named.path == request.path and dispense is None:
                        dispense = candidate
        if dispense is None:
            bundle.problem(dispenses[1].path, f"the Bundle holds {len(dispenses)} MedicationDispenses", (
                "send the one dispense the leaflet is for"), "fhir")
    if request is None:
        rec.fatal = True
        return rec
    req = element(request.path)
    disp = element(dispense.path) if dispense else "MedicationDispense"

    # the patient and their language
    patient = bundle.resolve(bundle.get(request, "subject", dict, "a Reference (an object)"), request, ("Patient",))
    if patient is None and "subject" not in request.value:
        patient = _one(bundle, "Patient", True)
    if patient is not None:
        rec.put("patient", _human_name(bundle, patient), element(patient.path) + ".name")
        rec.put("language", _language(bundle, patient), element(patient.path) + ".communication")
    else:
        subject = bundle.get(request, "subject", dict, "a Reference")
        rec.put("patient", bundle.text(subject, "display"), f"{req}.subject")
        rec.put("language", None, "Patient.communication")

    # the directions: the dispense's (what the pharmacy labelled), else the request's
    dosages = bundle.items(dispense, "dosageInstruction") or bundle.items(request, "dosageInstruction")
    dosages.sort(key=lambda d: d.value.get("sequence") if isinstance(d.value.get("sequence"), int) else 0)
    lines: list[str] = []
    first: JsonPath | None = None
    for dosage in dosages:
        said = bundle.text(dosage, "patientInstruction") or bundle.text(dosage, "text")
        if said is None:
            bundle.problem(dosage.path, "the Dosage has no patientInstruction and no text", (
                "write the directions in plain words in Dosage.patientInstruction (or Dosage.text): leaflet does not "
                "turn coded timings into words"), "missing-field", "directions")
            rec.expected.pop("directions", None)
            first = first or dosage.path
            continue
        lines.append(said.value.strip())
        first = first or said.path
    if lines and first is not None:
        rec.put("directions", _Found("\n".join(lines), first), "")
    elif not dosages:
        rec.put("directions", None, f"{req}.dosageInstruction")
    else:
        rec.paths["directions"] = first or request.path

    # the purpose: the request's reasons
    reasons = [_concept(bundle, r) for r in bundle.items(request, "reasonCode")]
    for ref in bundle.items(request, "reasonReference"):
        condition = bundle.resolve(ref, request, ("Condition", "Observation"))
        reasons.append(_concept(bundle, bundle.get(condition, "code", dict, "a CodeableConcept")) if condition
                       else bundle.text(ref, "display"))
    said_reasons = [r for r in reasons if r is not None]
    if said_reasons:
        rec.put("purpose", _Found(", ".join(r.value.strip() for r in said_reasons), said_reasons[0].path), "")

    # the medicine: strength and form from the Medication
    medication = None
    for source in (dispense, request):
        if source is not None and medication is None:
            medication = bundle.resolve(bundle.get(source, "medicationReference", dict, "a Reference"), source,
                                        ("Medication",))
    rec.put("strength", _strength(bundle, medication) if medication else None,
            element(medication.path) + ".ingredient.strength" if medication else f"{req}.medicationReference "
            "(a Medication with ingredient.strength)")
    rec.put("form", _concept(bundle, bundle.get(medication, "form", dict, "a CodeableConcept")) if medication
            else None, element(medication.path) + ".form" if medication else f"{req}.medicationReference "
            "(a Medication with form)")

    # the prescriber: the requester
    requester = bundle.get(request, "requester", dict, "a Reference")
    who = bundle.resolve(requester, request, ("Practitioner", "PractitionerRole", "Organization", "Patient",
                                              "RelatedPerson", "Device"))
    rec.put("prescriber", _name_of(bundle, who) if who else bundle.text(requester, "display"), f"{req}.requester")

    # the pharmacy: the dispense's performer, the request's dispenseRequest.performer, the location
    dispense_request = bundle.get(request, "dispenseRequest", dict, "an object")
    organisation: _Found | None = None
    display: _Found | None = None
    for performer in bundle.items(dispense, "performer"):
        actor = bundle.get(performer, "actor", dict, "a Reference")
        found = bundle.resolve(actor, dispense, ("Organization", "PractitionerRole", "Practitioner", "Patient",
                                                 "Device", "RelatedPerson"))
        if found is not None and found.value.get("resourceType") == "PractitionerRole":
            found = bundle.resolve(bundle.get(found, "organization", dict, "a Reference"), found, ("Organization",))
        if found is not None and found.value.get("resourceType") == "Organization":
            organisation = organisation or found
        elif found is None and actor is not None:
            display = display or bundle.text(actor, "display")
    ordered = bundle.get(dispense_request, "performer", dict, "a Reference")
    if organisation is None:
        organisation = bundle.resolve(ordered, request, ("Organization",))
        display = display or bundle.text(ordered, "display")
    place = bundle.resolve(bundle.get(dispense, "location", dict, "a Reference"), dispense,
                           ("Location",)) if dispense else None
    if organisation is None and place is not None:
        organisation = bundle.resolve(bundle.get(place, "managingOrganization", dict, "a Reference"), place,
                                      ("Organization",))
    pharmacy_name = bundle.text(organisation, "name") or bundle.text(place, "name") or display
    where = f"{disp}.performer.actor (an Organization)"
    rec.put("pharmacy", pharmacy_name, where)
    # a country's code is named in the leaflet's language: the one asked for, else the patient's
    spoken = language or rec.values.get("language")
    rec.put("pharmacy_address", _address(bundle, place, spoken) or _address(bundle, organisation, spoken),
            f"{where}.address")
    rec.put("pharmacy_phone", _telecom(bundle, place) or _telecom(bundle, organisation), f"{where}.telecom")

    # the Rx number, the date dispensed, the quantity and the refills
    identifiers = bundle.items(request, "identifier")
    identifiers.sort(key=lambda i: i.value.get("use") != "official")
    rec.put("rx_number", next((v for v in (bundle.text(i, "value") for i in identifiers) if v), None),
            f"{req}.identifier")
    when = bundle.text(dispense, "whenHandedOver") or bundle.text(dispense, "whenPrepared")
    if when is not None and "T" in when.value:
        when = _Found(when.value.split("T", 1)[0], when.path)  # the date of a dateTime, as written
    rec.put("dispensed", when, f"{disp}.whenHandedOver")
    rec.put("quantity", _quantity(bundle, bundle.get(dispense, "quantity", dict, "a Quantity")) or _quantity(
        bundle, bundle.get(dispense_request, "quantity", dict, "a Quantity")), f"{disp}.quantity")
    rec.put("refills", _refills(bundle, dispense, dispense_request), f"{req}.dispenseRequest.numberOfRepeatsAllowed")
    return rec


# the refills remaining after a dispense (not counting it): FHIR's extension for MedicationDispense
# (the Extensions Pack's URL, and the one of the pharmacy-core extension before it)
REFILLS_REMAINING = ("http://hl7.org/fhir/StructureDefinition/medicationdispense-refillsRemaining",
                     "http://hl7.org/fhir/StructureDefinition/pharmacy-core-refillsRemaining")
# MedicationDispense.type codes (v3 ActPharmacySupplyType) of a refill: RF, RFC, RFF, RFP, RFS ...
_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def _refills(bundle: _Bundle, dispense: _Found | None, dispense_request: _Found | None) -> _Found | None:
    """The refills remaining, as the panel prints them: the dispense's refillsRemaining extension
    (the count after this dispense), else ``MedicationRequest.dispenseRequest.numberOfRepeatsAllowed``
    (the refills the prescription allows: what remains at its first fill). A dispense that is a
    refill (its ``type`` a v3 ActCode RF…) without the extension is a problem: the refills allowed
    are then more than those remaining, and the panel would print too many."""
    for extension in bundle.items(dispense, "extension"):
        if extension.value.get("url") in REFILLS_REMAINING:
            if extension.value.get("valueInteger") is None:  # another type, or none: never the refills allowed
                bundle.problem(extension.path, "the refillsRemaining extension gives no number of refills",
                               "give it valueInteger: the refills remaining after this dispense (0 for none)",
                               "missing-field", "refills")
                return None
            return bundle.get(extension, "valueInteger", (int, str, Decimal), "a whole number")
    allowed = bundle.get(dispense_request, "numberOfRepeatsAllowed", (int, str, Decimal), "a whole number")
    kind = bundle.get(dispense, "type", dict, "a CodeableConcept")
    for coding in bundle.items(kind, "coding"):
        code = coding.value.get("code")
        if coding.value.get("system") == _ACT_CODE and isinstance(code, str) and code.upper().startswith("RF"):
            bundle.problem(coding.path, "the dispense is a refill, and the Bundle does not say how many refills "
                           "remain after it", "give the MedicationDispense the extension " + REFILLS_REMAINING[0] +
                           " (valueInteger: the refills remaining, not counting this dispense); "
                           "dispenseRequest.numberOfRepeatsAllowed is the refills allowed at the first fill",
                           "missing-field", "refills")
            return None
    return allowed


def _name_of(bundle: _Bundle, resource: _Found) -> _Found | None:
    if resource.value.get("resourceType") == "PractitionerRole":
        person = bundle.resolve(bundle.get(resource, "practitioner", dict, "a Reference"), resource,
                                ("Practitioner",))
        if person is not None:
            return _human_name(bundle, person)
        organisation = bundle.resolve(bundle.get(resource, "organization", dict, "a Reference"), resource,
                                      ("Organization",))
        return bundle.text(organisation, "name")
    if resource.value.get("resourceType") in ("Organization", "Device"):
        return bundle.text(resource, "name") or bundle.text(resource, "deviceName")
    return _human_name(bundle, resource)


def _language(bundle: _Bundle, patient: _Found) -> _Found | None:
    """Patient.communication: the preferred one first; its language's BCP 47 code (a coding of
    urn:ietf:bcp:47 first, then any coding's code), else its text."""
    spoken = bundle.items(patient, "communication")
    spoken.sort(key=lambda c: c.value.get("preferred") is not True)
    for communication in spoken:
        language = bundle.get(communication, "language", dict, "a CodeableConcept")
        codings = bundle.items(language, "coding")
        codings.sort(key=lambda c: c.value.get("system") != "urn:ietf:bcp:47")
        for coding in codings:
            code = bundle.text(coding, "code")
            if code is not None:
                return code
        text = bundle.text(language, "text")
        if text is not None:
            return text
    return None


# --- the entry point ------------------------------------------------------------------------------------


def parse(data: str | bytes, file: str = "<input>") -> JsonText:
    """JSON text (UTF-8 bytes, a byte order mark allowed, or str) -> JsonText, or ContentError."""
    if isinstance(data, bytes):
        if len(data) > MAX_INPUT_SIZE:
            raise ContentError([Diagnostic(f"the input is larger than the limit of {loader.format_size(MAX_INPUT_SIZE)}",
                                           (), "a prescription Bundle is a few kilobytes: is this the right file?",
                                           file, 0, 0, "input")])
        data = loader.decode(data, file)
    return JsonText(data.removeprefix("\ufeff"), file)


def is_bundle(data: Any) -> bool:
    """Whether parsed JSON data is a FHIR resource of type Bundle."""
    return isinstance(data, Mapping) and data.get("resourceType") == "Bundle"


def strict_problems(data: Any, file: str, places: Mapping[JsonPath, tuple[int, int]] = {}) -> list[Diagnostic]:
    """Every way ``data`` is not a valid FHIR Bundle, by the optional library fhir.resources, each
    at its element; [] when it is valid. Its R4B (FHIR 4.3) models are used: the library has had no
    R4 models since its version 7, and a Bundle that R4B refuses is reported like any other problem.
    Its messages say what is wrong; one that holds the value (patient data) is replaced by a plain
    one. UsageError when the library is not installed (``pip install 'leaflet[fhir]'``)."""
    try:
        from fhir.resources.R4B.bundle import Bundle  # type: ignore[import-not-found,unused-ignore]
        from pydantic import ValidationError
    except ImportError:
        raise UsageError("strict FHIR validation needs the optional library fhir.resources: "
                         "pip install 'leaflet[fhir]'") from None
    try:
        Bundle.model_validate(data)
    except (KeyError, TypeError, AttributeError):
        # the library fails so on an entry whose resourceType it does not know (a KeyError naming it)
        return [Diagnostic("fhir.resources cannot validate this Bundle: is there an entry whose resourceType FHIR R4 "
                           "does not have?", (), "check each entry's resourceType", file, 1, 1, "fhir",
                           where="Bundle (FHIR validation)")]
    except ValidationError as exc:
        bundle = _Bundle(data, file, places)
        for error in exc.errors():
            path = tuple(p for p in error.get("loc", ()) if isinstance(p, (str, int)))
            message = str(error.get("msg", "")) or "not valid here"
            value = error.get("input")
            if not isinstance(value, (dict, list)) and (str(value) in message if value not in (None, "") else False):
                message = "not a valid value for this element"
            if error.get("type") == "extra_forbidden":
                message = "an element FHIR R4 does not have here"
            bundle.problem(path, f"{message} (FHIR validation)", "see the FHIR R4 specification for this element",
                           "fhir")
        return bundle.problems
    return []


def from_bundle(data: str | bytes | Mapping[str, Any], file: str = "<input>", *,
                strict: bool = False, language: str | None = None) -> model.Prescription:
    """A FHIR R4 Bundle (JSON text, or parsed JSON data) -> a :class:`Prescription`; or
    ContentError listing every problem, each naming the FHIR element (and, for JSON text, its line
    and column), never a value.

    ``strict``: validate the whole Bundle against the FHIR models of the optional library
    fhir.resources first (``pip install 'leaflet[fhir]'``); without it only the elements the panel
    reads are checked.

    ``language``: the leaflet's language, in which an address's country given as an ISO 3166 code
    (``MX``) is named (``México``); by default the patient's (``Patient.communication``), which is
    the leaflet's whenever the leaflet has that translation."""
    places: Mapping[JsonPath, tuple[int, int]] = {}
    if isinstance(data, (str, bytes)):
        parsed = parse(data, file)
        data, places = parsed.data, parsed.places
    if strict and is_bundle(data):
        found = strict_problems(data, file, places)
        if found:
            raise ContentError(found)
    bundle = _Bundle(data, file, places)
    if not isinstance(data, Mapping) or data.get("resourceType") != "Bundle":
        kind = data.get("resourceType") if isinstance(data, Mapping) else None
        bundle.problem((), (f"this is a FHIR {_shown(kind)}, not a Bundle" if isinstance(kind, str) else
                            "this is not a FHIR Bundle (no resourceType 'Bundle')"), (
            "send a Bundle holding the Patient, the MedicationRequest and, optionally, the MedicationDispense"), "fhir")
        raise ContentError(bundle.problems)
    bundle.read_entries()
    rec = _record(bundle, language)
    structural = list(bundle.problems)
    if rec.fatal:
        raise ContentError(structural)
    blamed = {d.path[0] for d in structural if d.path} | rec.blamed

    def locate(field: str) -> model.Location:
        if field in rec.paths:
            return bundle.location(rec.paths[field])
        if field in rec.expected:
            return model.Location(file=file, element=rec.expected[field] + " (not in the Bundle)")
        return bundle.location(())

    try:
        prescription = model.from_record(rec.values, locate)
    except ContentError as exc:
        # a field already blamed on its element (a Dosage without text) is not also reported missing
        later = [d for d in exc.diagnostics if not (d.code == "missing-field" and d.path and d.path[0] in blamed)]
        texts = exc.texts if isinstance(exc, model.RecordError) else ()
        raise model.RecordError(structural + later, [t for t in texts if t[0] not in blamed]) from None
    if structural:  # (the texts the panel prints are checked with a leaflet's fonts all the same)
        printed = model.printed_texts(model.to_record(prescription), locate)
        raise model.RecordError(structural, [t for t in printed if t[0] not in blamed])
    return prescription


def field_locations(text: str | bytes, file: str) -> dict[str, model.Location]:
    """Where each field of the prescription read from the Bundle ``text`` came from: its element,
    line and column (for problems found after it is read: a text the panel cannot print or fit).
    Raises ContentError for a Bundle that cannot be read."""
    parsed = parse(text, file)
    bundle = _Bundle(parsed.data, file, parsed.places)
    bundle.read_entries()
    rec = _record(bundle)
    return {field: bundle.location(path) for field, path in rec.paths.items()}


def read(path: str, file: str | None = None, *, language: str | None = None) -> model.Prescription:
    """A FHIR Bundle JSON file -> a Prescription (see :func:`from_bundle`)."""
    return from_bundle(loader.read(path), file or path, language=language)

