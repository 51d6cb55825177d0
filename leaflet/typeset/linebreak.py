"""Line breaking for Chinese and Japanese: between any two ideographs or kana, with kinsoku.

ReportLab breaks lines only at spaces, and its CJK mode (``wordWrap="CJK"``) lets a character
that may not start a line hang one character into the margin, knows few of them (not ，！？：；)
and breaks Latin words at any letter. :func:`install` replaces the CJK mode's line breaker
(``Paragraph.breakLinesCJK``) with :func:`split_lines`, which a paragraph style asks for with
``wordWrap="CJK"`` (the styles of a Chinese or Japanese leaflet: :data:`CJK_SCRIPTS`):

- a line may break between two CJK characters (ideographs, kana, CJK punctuation, full-width
  forms), between a CJK character and a Latin word, and after a space; never inside a Latin
  word or number ("Testamol", "10", "mg" stay whole);
- a number holds to the CJK character after it, its counter or unit ("1錠", "3回", "90片"; a
  number in full-width digits, "１０", stays whole too), and a date's 年 and 月 to the number
  after them: a date as Babel writes it ("2026年11月23日") never breaks inside, unless it is
  wider than the line (then it breaks at the last character that fits, as a long word does);
  an ordinal's prefix 第 holds to the number after it ("第1回", "第１回", "第3天": :data:`NUMBER_PREFIXES`);
- no line starts with a closing bracket or quote, 。、，．！？：；, ー, a small kana or an
  iteration mark (:data:`NO_START`), and none ends with an opening bracket or quote
  (:data:`NO_END`): where the break would fall there, it moves back to the previous allowed
  point (the character is carried to the next line, never hung into the margin);
- no paragraph (nor a line before a forced line break) ends with a line of one character but for
  punctuation ("い。", a runt): the line before breaks at an earlier allowed point, giving it its
  last characters, where that line keeps two of its own (:func:`_runt_break`);
- a word too long for a line (a web address) breaks after ``/`` or before ``.-?#&=_~%``
  where it can, else at the last character that fits: a word of letters (a Latin one) with a
  hyphen, at least two letters on each side, anything else (a number, an address) without;
- nothing else is added or removed: the characters of the lines, joined, are the paragraph's
  (but for such a hyphen), so a line break between two CJK characters reads back without a space
  (but :data:`HOLD`, which the personal panel puts where a line must not break, and which is
  never drawn).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.platypus.paragraph import FragLine, ParaLines, _handleBulletWidth
from reportlab.rl_config import _FUZZ

from .hyphenate import MIN_PART, affixes, may_hyphenate
from .links import _BREAK_BEFORE

# The scripts whose paragraphs break between characters (Korean is written with spaces).
CJK_SCRIPTS = frozenset({"Hans", "Hant", "Jpan"})

# Characters that may not start a line (JIS X 4051 / W3C jlreq classes cl-02 to cl-07 and cl-11,
# and the Chinese rules of clreq): closing brackets and quotes, hyphens, dividing punctuation,
# middle dots, full stops, commas, iteration marks, the prolonged sound mark, small kana.
NO_START = frozenset(
    ")]}»›’”〉》」』】〕〗〙〛）］｝｣｠⦆"  # closing brackets and quotes
    "‐〜゠–"  # hyphens
    "!?‼⁇⁈⁉！？"  # dividing punctuation
    "・:;：；･"  # middle dots
    "。.．｡"  # full stops
    "、,，､"  # commas
    "ヽヾゝゞ々〻"  # iteration marks
    "ーｰ"  # prolonged sound mark
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｯｬｭｮ"  # small kana
    "゛゜%％‰℃°′″¢￠"  # sound marks, units that follow a number
)
# Characters that may not end a line: opening brackets and quotes, and prefixes of a number.
NO_END = frozenset("([{«‹‘“〈《「『【〔〖〘〚（［｛｢｟⦅$£¥＄￡￥＃＠#@")
# The units of a date after which its next number follows: no break in "2026年11月23日" (a number
# and the counter after it, 23日, hold together by the rule for every number: :func:`may_break`).
DATE_UNITS = frozenset("年月")
# Characters written before a number and held to it: 第, which makes an ordinal of the number and
# its counter ("第1回", the 1st time; "第3天", the 3rd day), as a currency sign is held to its amount
# (UAX #14's prefix class PR before a number; JIS X 4051 keeps a number with what is written with
# it). Only before a number in digits: "第一" (ideographs) breaks as ideographs do.
NUMBER_PREFIXES = frozenset("第")
# Characters that go together: no break between two of them ("……", "——").
INSEPARABLE = frozenset("…‥—―")
# Where the personal panel holds two characters together (leaflet.typeset.panel: a label, and it
# with its value: "電話：" never ends a line before the number, "リフィル回数" never breaks inside):
# no line breaks there, unless what it holds is wider than the line (then it breaks there before
# anywhere else), and the character is not drawn (nor measured). A private-use character,
# which no bundled font has, so no text of a leaflet or a prescription can hold one (the glyph check
# refuses it): a word joiner (U+2060) an author writes is theirs and prints.
HOLD = "\ue000"


def is_cjk(ch: str) -> bool:
    """A character between which and its neighbours a line may break (not Hangul: Korean is
    written with spaces)."""
    o = ord(ch)
    if o < 0x2E80:
        return False
    if 0xAC00 <= o <= 0xD7FF or 0x3130 <= o <= 0x318F or 0xFFA0 <= o <= 0xFFDC:
        return False  # Hangul syllables, compatibility jamo, half-width Hangul
    return unicodedata.east_asian_width(ch) in "WFH" or 0x20000 <= o <= 0x3FFFF


def _counter(ch: str) -> bool:
    """A CJK character that may follow a number as its counter or unit (an ideograph, a kana,
    a unit symbol such as ㎎; not a bracket or punctuation)."""
    return is_cjk(ch) and not unicodedata.category(ch).startswith("P")


def _space(ch: str) -> bool:
    return ch.isspace() and ch not in "\u00a0\u202f"  # not the no-break spaces


def may_break(before: str, after: str) -> bool:
    """May a line break fall between these two characters (``after`` starting the new line)?"""
    if not before or not after:  # an empty fragment (a link's anchor)
        return False
    if _space(after) or before in "\u00a0\u202f\u2060" or after in "\u00a0\u202f\u2060":
        return False
    if after in NO_START or before in NO_END:
        return False
    if before in INSEPARABLE and after in INSEPARABLE:
        return False
    if before.isdecimal() and (after.isdecimal() or _counter(after)):
        return False  # a number, and a number with its counter or unit ("10", "１０", "1錠", "3回")
    if (before in DATE_UNITS or before in NUMBER_PREFIXES) and after.isdecimal():
        return False  # a date: "2026年11月23日"; an ordinal: "第1回"
    if _space(before):
        return True
    return is_cjk(before) or is_cjk(after)


class _Char(str):
    """A character of the paragraph, with its fragment (font, size, colour, link) and width."""

    frag: Any
    width: float
    held = False  # no break after it (HOLD)

    def __new__(cls, value: str, frag: Any) -> _Char:
        self = str.__new__(cls, value)
        self.frag = frag
        cb = getattr(frag, "cbDefn", None)
        self.width = getattr(cb, "width", 0) if cb is not None else stringWidth(value, frag.fontName, frag.fontSize)
        return self


def _line(chars: list[_Char], max_width: float, line_break: bool) -> FragLine:
    """One line: its characters grouped back into fragments (ReportLab's CJK line structure)."""
    words: list[Any] = []
    buf: list[str] = []
    frag = None
    size = ascent = descent = 0.0
    for ch in chars:
        f = ch.frag
        if f is not frag:
            a, d = getAscentDescent(f.fontName, f.fontSize)
            size, ascent, descent = max(size, f.fontSize), max(ascent, a), min(descent, d)
            if buf and frag is not None:
                words.append(frag.clone(text="".join(buf)))
            frag, buf = f, []
        buf.append(ch)
    if buf and frag is not None:
        words.append(frag.clone(text="".join(buf)))
    used = _width(chars)
    return FragLine(kind=1, extraSpace=max_width - used, wordCount=1, words=words, fontSize=size,
                    ascent=ascent, descent=descent, maxWidth=max_width, currentWidth=used, lineBreak=line_break)


def _strip_end(chars: list[_Char]) -> list[_Char]:
    end = len(chars)
    while end and _space(chars[end - 1]):
        end -= 1
    return chars[:end]


def _forced(chars: list[_Char], start: int, end: int) -> tuple[int, bool]:
    """Where to break a word too long for the line that holds ``chars[start:end]`` (``end`` the
    first character that does not fit): after '/' or before '.-?#&=_~%' in its second half (True:
    a point of its own), else at ``end`` (False)."""
    for i in range(end - 1, start + max(1, (end - start) // 2), -1):
        if chars[i - 1] == "/" or chars[i] in _BREAK_BEFORE:
            return i, True
    return max(end, start + 1), False


def _hyphenated(chars: list[_Char], start: int, end: int, max_width: float) -> int:
    """Where a Latin (Cyrillic, Greek …) word of letters too long for its line breaks with a
    hyphen (a number, a dose, an address never: see :mod:`.hyphenate`), at or before ``end`` with
    the hyphen in the line and at least ``MIN_PART`` characters on each side; 0 for none."""
    lo = end
    while lo > 0 and not _space(chars[lo - 1]) and not is_cjk(chars[lo - 1]):
        lo -= 1
    hi = end
    while hi < len(chars) and not _space(chars[hi]) and not is_cjk(chars[hi]):
        hi += 1
    pfx, core, _sfx = affixes("".join(chars[lo:hi]))
    lo, hi = lo + len(pfx), lo + len(pfx) + len(core)  # the word without the punctuation around it
    if not (lo < end < hi) or not may_hyphenate(core):
        return 0
    hyphen = stringWidth("-", chars[end - 1].frag.fontName, chars[end - 1].frag.fontSize)
    used = sum(ch.width for ch in chars[start:end])
    at = min(end, hi - MIN_PART)
    used -= sum(ch.width for ch in chars[at:end])
    while at > max(start + 1, lo + MIN_PART) and used + hyphen > max_width + _FUZZ:
        at -= 1
        used -= chars[at].width
    return at if at >= max(start + 1, lo + MIN_PART) and used + hyphen <= max_width + _FUZZ else 0


def split_lines(frags: list[Any], max_widths: list[float]) -> ParaLines:
    """Break a paragraph's fragments into lines of at most ``max_widths`` (the first line's, then
    each next one's; the last repeats)."""
    chars: list[_Char] = []
    for f in frags:
        text = f.text if hasattr(f, "text") else ""
        if HOLD in text:
            for ch in text:
                if ch != HOLD:
                    chars.append(_Char(ch, f))
                elif chars:
                    chars[-1].held = True
        elif text:
            chars.extend(_Char(ch, f) for ch in text)
        else:
            chars.append(_Char("", f))
    lines: list[FragLine] = []
    starts: list[int] = []  # where each line starts in chars
    n = len(chars)
    start = 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        width = 0.0
        last_break = -1  # the last allowed break point seen on this line
        last_held = -1  # the last one HOLD forbids: used only when the line has no other
        i = start
        end = n
        line_break = False
        hyphen: _Char | None = None
        while i < n:
            ch = chars[i]
            if i > start and may_break(chars[i - 1], ch):
                if chars[i - 1].held:
                    last_held = i
                else:
                    last_break = i
            if hasattr(ch.frag, "lineBreak"):
                end, line_break = i + 1, True
                break
            if not _space(ch):  # a space at the end of a line may go into the margin
                if width + ch.width > max_width + _FUZZ and i > start:
                    if last_break > start:
                        end = last_break
                    elif last_held > start:
                        end = last_held
                    else:
                        end, own_point = _forced(chars, start, i)
                        at = 0 if own_point else _hyphenated(chars, start, end, max_width)
                        if at:  # a word of letters: with a hyphen, drawn in the word's font
                            end, hyphen = at, _Char("-", chars[at - 1].frag)
                    break
            width += ch.width
            i += 1
        if line_break or end >= n:  # the last line of the paragraph, or before a forced line break
            at = _runt_break(chars, starts[-1], start, end) if lines and hyphen is None else 0
            if at and _width(chars[at:end]) <= max_width + _FUZZ:
                # its last character or two alone ("い。"): the line before gives it its last characters
                previous = lines[-1]
                lines[-1] = _line(chars[starts[-1]:at], previous.maxWidth, False)
                start = at
        starts.append(start)
        lines.append(_line(chars[start:end] + ([hyphen] if hyphen is not None else []), max_width, line_break))
        start = end
    return ParaLines(kind=1, lines=lines)


def _core(chars: list[_Char]) -> int:
    """How many characters of ``chars`` are not spaces or punctuation."""
    return sum(1 for ch in chars if ch and not ch.isspace() and not unicodedata.category(ch).startswith("P"))


def _width(chars: list[_Char]) -> float:
    """The width of a line of ``chars``: its trailing spaces may go into the margin."""
    return sum(ch.width for ch in _strip_end(chars))


def _runt_break(chars: list[_Char], before: int, start: int, end: int) -> int:
    """Where the line before (from ``before``) should end instead of at ``start`` when the line
    ``chars[start:end]`` that ends a paragraph (or a forced line) holds a single character but for
    punctuation ("い。", "す", "錠。": a runt, which a typesetter never leaves): the latest point the
    line before may break at that gives it two or more, leaving that line at least two too; 0 for
    none (nor where the line before ends with a forced break: its own or a word too long)."""
    if _core(chars[start:end]) >= 2 or not may_break(chars[start - 1], chars[start]) or chars[start - 1].held:
        return 0
    for at in range(start - 1, before + 1, -1):
        if may_break(chars[at - 1], chars[at]) and not chars[at - 1].held:
            if _core(chars[at:end]) >= 2:
                return at if _core(chars[before:at]) >= 2 else 0
    return 0


def _break_lines_cjk(self: Any, max_widths: Any) -> Any:
    """``Paragraph.breakLinesCJK``, by :func:`split_lines`."""
    if not isinstance(max_widths, (list, tuple)):
        max_widths = [max_widths]
    style = self.style
    self.height = 0
    _handleBulletWidth(self.bulletText, style, max_widths)
    if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
        return self.blPara
    if not self.frags:
        return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName, textColor=style.textColor,
                         lines=[], ascent=style.fontSize, descent=-0.2 * style.fontSize)
    return split_lines(self.frags, list(max_widths))


def hyphenation_language(leaflet: Any) -> str:
    """The pyphen dictionary that hyphenates a leaflet's paragraphs: its language's when
    ``options.hyphenate`` is on and pyphen has one ("de", "pt_BR", "en_GB" …), else "".

    ReportLab hyphenates only a word of Latin letters (and Cyrillic а–я), never one with a digit
    or another character, and splits a web address at its own points (see :mod:`.links`)
    instead: "10 mg", "B12", "https://…" never get a hyphen."""
    if not getattr(leaflet.layout, "hyphenate", False):
        return ""
    import pyphen  # only when asked for: importing it reads its list of dictionaries

    return pyphen.language_fallback(leaflet.language.replace("-", "_")) or ""


# A run of digits with spaces and a phone number's punctuation inside it: "555 0100", "+1 (555) 010 0100",
# "020 7946 0958", "555 / 0100"; and the space between a label's colon and such a number ("Phone: 555").
# They are no-break spaces in the footer's brand line and the panel's phone number (as the panel
# holds a number to its unit, leaflet.typeset.panel): a phone number split over two lines is misdialled. They print, and read
# back, as the spaces written.
_DIGIT_GROUPS = re.compile(r"[+(]?\d[\d()./\-\u2010-\u2013 \t]*\d\)?")
_LABEL_NUMBER = re.compile(r"(?<=[:\uff1a])[ \t]+(?=[+(]?\d)")


def hold_digit_groups(text: str) -> str:
    """``text`` with the spaces inside each group of digits ("555 0100"), and between a colon and
    the number after it ("Phone: 555"), made no-break spaces."""
    text = _DIGIT_GROUPS.sub(lambda m: re.sub(r"[ \t]+", "\u00a0", m.group()), text)
    return _LABEL_NUMBER.sub("\u00a0", text)


# ReportLab keeps a word together across U+00A0 only: its word splitter (paragraph.split) takes
# the narrow no-break space U+202F and the figure space U+2007 for spaces a line may break at,
# and draws them as spaces. These are no-break spaces too (the French "dose\u202f:", a number's
# groups "1\u202f000"): a text holding one is split at the other white space only, as ReportLab
# does for a text holding U+00A0, and each prints as its own (narrow) glyph.
_NO_BREAK = "\u202f\u2007"
_original_split = getattr(_rl_paragraph, "_leaflet_original_split", _rl_paragraph.split)
_BREAKING = re.escape("".join(ch for ch in _rl_paragraph._wsc if ch not in _NO_BREAK))
_split_keeping_no_break = re.compile(f"[{_BREAKING}]+").split


def _split(text: Any, delim: Any = None) -> list[str]:
    if delim is None and isinstance(text, str) and ("\u202f" in text or "\u2007" in text):  # _NO_BREAK
        return _split_keeping_no_break(text)
    return _original_split(text, delim)


def install() -> None:
    """Let paragraphs with ``wordWrap="CJK"`` break lines by :func:`split_lines`, and no paragraph
    break a line at U+202F or U+2007 (idempotent)."""
    _rl_paragraph.Paragraph.breakLinesCJK = _break_lines_cjk
    _rl_paragraph._leaflet_original_split = _original_split
    _rl_paragraph.split = _split


install()
