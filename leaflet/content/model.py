"""The content model: what a leaflet file can say, as plain data.

These classes are the single source of truth for the leaflet format: the
validator converts loaded YAML into them, and ``leaflet schema`` derives the
published JSON Schema from them. No I/O happens here.

Every text field may use ``**bold**`` and section references ``[[id]]``;
nothing else in a text is markup (``<``, ``&`` and friends print as written).
A blank line inside a text starts a new paragraph.
"""
# No ``from __future__ import annotations`` here: msgspec reads these classes' annotations at the
# first build, and strings would each be compiled and evaluated then (about 20 M instructions of
# start-up); the one forward reference (ListItem's items) is written as a string.

from typing import TYPE_CHECKING, Annotated, Literal, TypeVar, Union, get_args

from msgspec import UNSET, Meta, Struct, UnsetType, field

if TYPE_CHECKING:
    from typing_extensions import TypeIs

T = TypeVar("T")

# A piece of text that prints: a non-blank string.
Text = Annotated[
    str,
    Meta(
        min_length=1,
        pattern=r"\S",
        description=(
            "Text that prints. Use **double asterisks** for bold and [[id]] for a reference to the section "
            "with that id; write \\* and \\[[ for literal ones; a blank line starts a new paragraph."
        ),
    ),
]
# A note for editors and reviewers: kept in the file, never printed.
Note = Annotated[str, Meta(description="Editorial note: kept in the file, never printed.")]
Date = Annotated[
    str,
    Meta(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$",
         description="A date written YYYY-MM-DD, or YYYY-MM where the source gives only the month."),
]
LanguageTag = Annotated[
    str,
    Meta(
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        description="BCP 47 language tag of the text, e.g. en, en-GB, es, ar, uk, ja.",
    ),
]


class _Base(Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    pass


class Medicine(_Base, kw_only=True):
    """The medicine the leaflet is about."""

    name: Text
    subtitle: Annotated[list[Text], Meta(
        min_length=1, description=(
            "Lines printed under the title, one under the other, without a label: e.g. the generic name, "
            "its pronunciation, the form ('injection, for subcutaneous use'); optional."
        ))] | UnsetType = UNSET
    brands: list[Text] = []
    drug_class: Annotated[Text, Meta(
        description="The drug class, printed under the title as 'Drug class: …'; optional.",
    )] | UnsetType = field(name="class", default=UNSET)


class Revision(_Base, kw_only=True):
    """When this text was last revised, and its version (optional)."""

    date: Date
    version: Annotated[Text, Meta(
        description="The text's version, printed in the footer after the date; optional.",
    )] | UnsetType = UNSET


class KeyFact(_Base, kw_only=True):
    label: Text
    value: Text


class KeyFacts(_Base, kw_only=True):
    """The key-facts table near the top of the leaflet."""

    heading: Text | UnsetType = UNSET
    header: Annotated[list[Text], Meta(min_length=2, max_length=2)] | UnsetType = UNSET
    rows: Annotated[list[KeyFact], Meta(min_length=1)]
    note: Note | UnsetType = UNSET


class ListItem(_Base, kw_only=True):
    """A bullet with sub-bullets (FDA Medication Guides nest lists)."""

    text: Text
    items: Annotated[list["Item"], Meta(min_length=1)]  # Item (below) holds ListItem


Item = Union[Text, ListItem]  # noqa: UP007 (a runtime alias with a forward reference)

Columns = Annotated[Literal[1, 2, 3], Meta(
    description=(
        "Print the list in this many columns side by side (a short list of short items); reading order is "
        "column 1 top to bottom, then column 2."
    ))]

# EU frequency classes (QRD template); the locale holds their standard wording.
FrequencyClass = Literal["very_common", "common", "uncommon", "rare", "very_rare", "not_known"]
FREQUENCIES: tuple[str, ...] = get_args(FrequencyClass)
Frequency = Annotated[FrequencyClass, Meta(
    description=(
        "How often the side effects occur, as an EU frequency class; prints the locale's standard wording "
        "under the band, e.g. 'Very common: may affect more than 1 in 10 people'."
    ))]


class CalloutPart(_Base, kw_only=True):
    """One part of a callout's ordered ``content``: exactly one of text, action or items."""

    text: Text | UnsetType = UNSET
    action: Annotated[Text, Meta(description="What to do now, printed in bold.")] | UnsetType = UNSET
    items: Annotated[list[Item], Meta(min_length=1)] | UnsetType = UNSET
    columns: Columns | UnsetType = UNSET
    note: Note | UnsetType = UNSET

    @property
    def kind(self) -> str | None:
        for name in PART_KINDS:
            if getattr(self, name) is not UNSET:
                return name
        return None


PART_KINDS = ("text", "action", "items")


class SideEffects(_Base, kw_only=True):
    """A side-effect callout. 'serious' ones must say what to do now.

    Written either with keys (intro, action, items, closing: printed in that order) or with
    ``content``: a list of parts printed in the order written.
    """

    severity: Annotated[Literal["common", "serious"], Meta(
        description="How the callout is styled: 'serious' (warning icon, heavy border) or 'common' (not serious).",
    )]
    frequency: Frequency | UnsetType = UNSET
    label: Annotated[Text, Meta(
        description=(
            "The word on the callout's band instead of the locale's COMMON/SERIOUS."
        ))] | UnsetType = UNSET
    title: Annotated[Text, Meta(description="The heading on the callout's band; optional.")] | UnsetType = UNSET
    intro: Text | UnsetType = UNSET
    action: Text | UnsetType = UNSET
    items: Annotated[list[Item], Meta(min_length=1)] | UnsetType = UNSET
    closing: Annotated[Text, Meta(
        description=(
            "Text printed after the list, e.g. 'Call your doctor if you have any of the symptoms "
            "above.'"
        ))] | UnsetType = UNSET
    content: Annotated[list[CalloutPart], Meta(
        min_length=1, description=(
            "The callout's parts in the order they print: '- text: …', '- action: …', '- items: [...]'. "
            "Instead of intro/action/items/closing."
        ))] | UnsetType = UNSET


class PrecautionPart(_Base, kw_only=True):
    """One part of a precaution's ordered ``content``: exactly one of text, subheading or items."""

    text: Text | UnsetType = UNSET
    subheading: Annotated[Text, Meta(
        description="A sub-heading inside the box, printed in bold and kept with what follows it.",
    )] | UnsetType = UNSET
    items: Annotated[list[Item], Meta(min_length=1)] | UnsetType = UNSET
    columns: Columns | UnsetType = UNSET
    note: Note | UnsetType = UNSET

    @property
    def kind(self) -> str | None:
        for name in PRECAUTION_PART_KINDS:
            if getattr(self, name) is not UNSET:
                return name
        return None


PRECAUTION_PART_KINDS = ("text", "subheading", "items")


class Precaution(_Base, kw_only=True):
    """A boxed precaution: a title, then text and/or bullets, or an ordered ``content`` list."""

    title: Text
    text: Text | UnsetType = UNSET
    items: Annotated[list[Item], Meta(min_length=1)] | UnsetType = UNSET
    content: Annotated[list[PrecautionPart], Meta(
        min_length=1, description=(
            "The box's parts in the order they print: '- text: …', '- subheading: …', '- items: [...]'. "
            "Instead of text/items."
        ))] | UnsetType = UNSET


class QA(_Base, kw_only=True):
    """A question people ask, and its answer."""

    question: Text
    answer: Text


class TableCell(_Base, kw_only=True):
    """A table cell holding a list, optionally after a text."""

    text: Text | UnsetType = UNSET
    bullets: Annotated[list[Item], Meta(min_length=1)]


Cell = Union[Text, TableCell]  # noqa: UP007


class Table(_Base, kw_only=True):
    """A general table (e.g. symptoms and what to do)."""

    caption: Text | UnsetType = UNSET
    header: Annotated[list[Text], Meta(min_length=1)] | UnsetType = UNSET
    rows: Annotated[list[Annotated[list[Cell], Meta(min_length=1)]], Meta(min_length=1)]


class Block(_Base, kw_only=True):
    """One block of a section: exactly one of the printable kinds, and optionally a note."""

    text: Text | UnsetType = UNSET
    bullets: Annotated[list[Item], Meta(min_length=1)] | UnsetType = UNSET
    lines: Annotated[list[Text], Meta(
        min_length=1, description=(
            "Lines printed one under the other, e.g. an address."
        ))] | UnsetType = UNSET
    numbered: Annotated[list[Item], Meta(min_length=1)] | UnsetType = UNSET
    subheading: Text | UnsetType = UNSET
    side_effects: SideEffects | UnsetType = UNSET
    precaution: Precaution | UnsetType = UNSET
    qa: QA | UnsetType = UNSET
    table: Table | UnsetType = UNSET
    columns: Annotated[Columns, Meta(description="With bullets or numbered: print the list in columns.")] | \
        UnsetType = UNSET
    note: Note | UnsetType = UNSET

    @property
    def kind(self) -> str | None:
        """The printable kind of this block, or None for a note-only block."""
        for name in BLOCK_KINDS:
            if getattr(self, name) is not UNSET:
                return name
        return None


BLOCK_KINDS = ("text", "bullets", "lines", "numbered", "subheading", "side_effects", "precaution", "qa", "table")


# What a section id may be: the same as a reference [[id]] (leaflet.text.inline.REF_ID).
SECTION_ID_RULE = ("an id is ASCII letters (a-z, A-Z), digits, '-', '_' and '.', and starts with a letter or "
                   "a digit: no spaces, slashes or accented letters")
SectionId = Annotated[str, Meta(
    pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    description=("A name for the section that texts refer to as [[id]]: ASCII letters, digits, '-', '_', '.', "
                 "starting with a letter or digit."),
)]


class Section(_Base, kw_only=True):
    id: SectionId | UnsetType = UNSET
    heading: Text
    contents_entry: Annotated[Text, Meta(
        description=(
            "The section's entry in the contents list (options.contents) when its approved wording differs "
            "from the heading; default: the heading."
        ))] | UnsetType = UNSET
    blocks: Annotated[list[Block], Meta(min_length=1)]
    note: Note | UnsetType = UNSET


class Options(_Base, kw_only=True):
    """How the leaflet is laid out (all off by default)."""

    number_sections: Annotated[bool, Meta(
        description="Number the sections' headings 1., 2., 3. … (EU package leaflets).")] = False
    contents: Annotated[bool, Meta(
        description="Print a 'What is in this leaflet' list of the sections before the first one.")] = False
    hyphenate: Annotated[bool, Meta(
        description=("Break a word that does not fit at the end of a line with a hyphen, by the hyphenation "
                     "dictionary of the leaflet's language (none for Arabic, Hebrew, Chinese, Japanese); "
                     "never a number, a dose, a web address or a word with digits."))] = False


class Review(_Base, kw_only=True):
    """A person's review of a translation, recorded in the translated file."""

    reviewer: Annotated[Text, Meta(description="Who reviewed the translation (a qualified translator).")]
    date: Date


class Translation(_Base, kw_only=True):
    """Where a translated leaflet comes from, and whether a person has reviewed it."""

    source: Annotated[str, Meta(
        min_length=1, pattern=r"\S",
        description="The file this leaflet was translated from, relative to this file, e.g. en.yaml.")]
    fingerprint: Annotated[str, Meta(
        min_length=1,
        description=(
            "A record of the source's texts this translation was made from, written by "
            "'leaflet check --stamp' (never by hand): 'v1.<total>.<per-text digests>', base64url, so that "
            "'leaflet check' can report a later change to the source, and which texts changed."
        ))] | UnsetType = UNSET
    review: Annotated[Review, Meta(
        description=(
            "Recorded when a qualified translator has reviewed the translation: it turns the unreviewed "
            "machine-translation banner off. Not older than the revision; not in a draft."))] | UnsetType = UNSET


class Leaflet(_Base, kw_only=True):
    """A patient medicine leaflet in one language."""

    language: LanguageTag
    medicine: Medicine
    revision: Revision
    status: Literal["final", "draft", "machine-translation"] = "final"
    translation: Annotated[Translation, Meta(
        description="In a translated leaflet: the file it was translated from, and its review.")] | \
        UnsetType = UNSET
    document_type: Annotated[Text, Meta(
        description=(
            "The kind of document printed above the title, e.g. 'Medication Guide' or 'Package leaflet: "
            "information for the user'; default from the locale."
        ))] | UnsetType = UNSET
    author: Text | UnsetType = UNSET
    digital_url: Annotated[str, Meta(  # what a web address is: leaflet.content.rules (and the schema, for editors)
        description=(
            "The web address of this leaflet's digital version (http:// or https://); optional. It prints "
            "under the title as a QR code with the address beside it, as text and a link."
        ))] | UnsetType = UNSET
    options: Options | UnsetType = UNSET
    intro: Annotated[list[Block], Meta(min_length=1)] | UnsetType = UNSET
    key_facts: KeyFacts | UnsetType = UNSET
    sections: Annotated[list[Section], Meta(min_length=1)]
    disclaimer: Annotated[Text, Meta(description="Printed at the foot of every page; optional.")] | \
        UnsetType = UNSET
    notes: list[Note] | UnsetType = UNSET

    @property
    def layout(self) -> Options:
        return self.options if is_set(self.options) else Options()


def is_set(value: T | UnsetType) -> "TypeIs[T]":
    return value is not UNSET


__all__ = [
    "BLOCK_KINDS",
    "FREQUENCIES",
    "PART_KINDS",
    "PRECAUTION_PART_KINDS",
    "QA",
    "SECTION_ID_RULE",
    "UNSET",
    "Block",
    "CalloutPart",
    "Cell",
    "Item",
    "KeyFact",
    "KeyFacts",
    "Leaflet",
    "ListItem",
    "Medicine",
    "Options",
    "Precaution",
    "PrecautionPart",
    "Review",
    "Revision",
    "Section",
    "SideEffects",
    "Table",
    "TableCell",
    "Translation",
    "is_set",
]
