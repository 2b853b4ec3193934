"""Matching keys for personal names, whatever script or romanisation they arrive in.

One Kazakh name reaches the monitors as Russian or Kazakh Cyrillic, as Kazakh Latin of 2017 (apostrophes),
2018 (acutes) or 2021 (Turkish-style letters), as ICAO passport or BGN/PCGN romanisation, or as a journalist's
ad-hoc spelling. The skeleton key folds every distinction one of those systems fails to make, so that all the
spellings of one name share a key; trigram ranking in PostgreSQL then handles what the rules cannot. The
design, the tables and the examples are in NAMES.md (shared docs, sections 1 and 3); the order of the steps
matters.

Traps the order guards against:
* Cyrillic kha and sha become the placeholders H and S before any Latin digraph is read, so Асхат (es + kha)
  is not read as Ашат the way Latin "Ashat" is. J, S, C likewise mean "certainly zhe, sha, che"; they are
  rendered j/sh/ch last.
* Letters whose diacritic carries meaning are mapped before accents are stripped: the 2018 ý is the vowel u
  (Ýálıhanov is Уәлиханов, not Ыәлиханов), 2021 ş/ç are sha/che, ISO â/û are ya/yu. Stripping first would
  silently turn them into other letters.
* 2017 apostrophes: s' is sha, c' is che and y' is the vowel u; dropping the apostrophe gives another letter.
  BGN's soft sign ("Kas'yanov": s, apostrophe, y, vowel) is not a 2017 mark. Only typed apostrophes (ASCII,
  curly quotes, modifier apostrophe, grave, acute) can be 2017 marks; the ISO primes always mean the soft or
  hard sign and are dropped. Arabic "Mas'ud" therefore reads with a sha: accepted.
* Latin "tzh"/"tsh" are t + zhe / t + sha (Bakytzhan), not tse + h: the sh/zh digraphs are read before ts/tz.

Everything is stdlib and precompiled at import: keys are computed for every name at bulk-insert time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "NameKeys",
    "consonant_key",
    "light_key",
    "name_keys",
    "script_of",
    "search_key",
    "skeleton",
    "token_stem",
]

SEPARATOR = " | "  # between the parts of a search key; no key contains "|"


def _table(plain_from: str, plain_to: str, extra: dict[str, str]) -> dict[int, str | None]:
    table: dict[int, str | None] = str.maketrans(plain_from, plain_to)
    table.update(str.maketrans(extra))
    return table


# Steps 2 and 3 (NAMES.md 3.2). Cyrillic and diacritic Latin never overlap, so one translate does both.
# The plain letters are shared by the skeleton and the light key; they differ only for the letters the
# skeleton holds as placeholders (and ы, which the light key keeps as "y" so Мамыров/Мамиров stay apart).
_CYR_FROM = "абвгдеёзийклмнопрстуфэәғқңөұүіїґў"
_CYR_TO = "abvgdeeziiklmnoprstufeagknouuiigu"
_LAT_FROM = "ıǵğġñńŋņäáəöóøüúūùīìíłđý"
_LAT_TO = "igggnnnnaaaooouuuuiiildu"  # the 2018 ý is the vowel u, never yery
_MULTI = {"ъ": "", "ь": "", "ю": "iu", "я": "ia", "є": "ie"}
_MULTI |= {"â": "ia", "û": "iu", "ß": "ss", "æ": "ae", "œ": "oe"}  # ISO 9 ya/yu; letters NFKD cannot split
# ASCII and curly apostrophes, modifier apostrophe, grave, acute: may be a 2017 mark, normalised to "'".
_TYPED_APOSTROPHES = "'\u2019\u2018\u02bc`\u00b4"
# ISO/BGN primes for the soft and hard signs, double quotes, okina, ayin, stress mark: only ever dropped.
_SIGN_MARKS = '\u02b9\u02ba\u2033\u2032"\u201d\u201c\u02bb\u02bd\u02be\u02bf\u02c8'
_MARKS = {**dict.fromkeys(_TYPED_APOSTROPHES, "'"), **dict.fromkeys(_SIGN_MARKS, "")}
_SPECIAL = "жҗшщчц\u0445\u04bbҳыşšŝșçčž"  # zhe, sha, shcha, che, tse, kha, shha, yery; meaningful diacritics
_SKEL_ONLY = dict(zip(_SPECIAL, "JJSSCcHHHiSSSSCCJ", strict=True))
# fmt: off
_LIGHT_ONLY = dict(zip(_SPECIAL, ("zh", "zh", "sh", "shch", "ch", "ts", "kh", "h", "h", "y",
                                  "sh", "sh", "shch", "sh", "ch", "ch", "zh"), strict=True))
# fmt: on
_SKEL_TABLE = _table(_CYR_FROM + _LAT_FROM, _CYR_TO + _LAT_TO, {**_MULTI, **_MARKS, **_SKEL_ONLY})
_LIGHT_TABLE = _table(_CYR_FROM + _LAT_FROM, _CYR_TO + _LAT_TO, {**_MULTI, **_MARKS, **_LIGHT_ONLY})
_DROP_COMBINING = dict.fromkeys(range(0x300, 0x370))  # the combining diacritical marks block

# Step 4: a 2017 apostrophe after s/c/y, unless it is a soft sign before an iotated vowel (Kas'yanov).
_APOS_S = re.compile(r"s'(?![iy][aeou])")
_APOS_C = re.compile(r"c'(?![iy][aeou])")
_WORD = re.compile(r"[^\W\d_]+")  # hyphens, dots, digits, any punctuation split tokens

# Step 5, applied in this order with str.replace (sequential on purpose: "sh" must be consumed before "ts"
# so that t+sh stays t + sha, and "kh"/"gh"/"ph" before the bare "h"). H, the Cyrillic kha, joins k as
# Kazakh speech does (Bakhytzhan = Baqytjan, Bolathan = Болатхан). ISO 9 writes the Russified дж as dž (dJ).
# fmt: off
_DIGRAPHS = (
    ("dzh", "J"), ("dj", "J"), ("zh", "J"), ("dJ", "J"), ("shch", "S"), ("tsch", "C"), ("sch", "S"),
    ("shh", "S"), ("sh", "S"), ("tch", "C"), ("ch", "C"), ("SC", "S"), ("ts", "c"), ("tz", "c"), ("cz", "c"),
    ("ph", "f"), ("kh", "k"), ("gh", "g"), ("ck", "k"), ("h", "k"), ("H", "k"), ("q", "k"), ("x", "ks"),
    ("ou", "u"), ("w", "u"),
)
# fmt: on
_J_BEFORE_VOWEL = re.compile(r"j(?=[aeiouy])")
_Y_TO_I = str.maketrans("y", "i")
_NG = re.compile(r"ng+")
_DOUBLE = re.compile(r"(\w)\1+")
_CONSONANT_IO = re.compile(r"(?<=[b-df-hj-np-tv-zJSC])io")
_RENDER = str.maketrans({"J": "j", "S": "sh", "C": "ch"})

# Step 10, on rendered skeleton tokens. Written apart ("Nurlan uly") the marker glues to the word before it.
_MARKERS = frozenset({"uli", "ulu", "kizi", "ogli", "ugli", "oglu"})
_GLUED_PATRONYMIC = re.compile(r"[a-z]{2,}(?:ovich|evich|ovna|evna|ichna)|[a-z]{3,}(?:uli|ulu|kizi)")

_FEMININE = re.compile(r"(?<=[a-z]{3})(ov|ev|in)a$")
_VOWELS = str.maketrans("", "", "aeiou ")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u052f]")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class NameKeys:
    primary: str  # tokens sorted (word order varies by document), patronymics left out: "sania toiken"
    alternative: str  # bare Latin j read as a short i; equals primary when there is none
    light: str  # steps 1-4 only, written order: tells Валиев from Валеев when the skeletons tie
    tokens: tuple[str, ...]  # skeleton of each non-patronymic token, in written order
    patronymics: tuple[str, ...]  # "Nurlan uly" and "Nurlanuly" both give "nurlanuli"


_EMPTY = NameKeys("", "", "", (), ())


def _romanise(lowered: str, table: dict[int, str | None], s_mark: str, c_mark: str) -> list[str]:
    """Steps 1-4 on lower-case text; the tokens in written order."""
    if "дж" in lowered:  # Джумагулов = Жумагулов: the Russified spelling of ж
        lowered = lowered.replace("дж", "ж")
    s = lowered.translate(table)
    if not s.isascii():  # 2018/2021 dotless i is already i; what remains (é, ķ, the dot of İ) loses it
        s = unicodedata.normalize("NFKD", s).translate(_DROP_COMBINING)
        if not s.isascii():  # a Cyrillic base letter freed from its mark (Macedonian ѓ, ќ) meets the table
            s = s.translate(table)
    if "'" in s:
        s = _APOS_C.sub(c_mark, _APOS_S.sub(s_mark, s)).replace("y'", "u").replace("'", "")
    return _WORD.findall(s)


def _fold(s: str) -> str:
    """Steps 7-9 and rendering of the placeholders. Each regex runs only when it can match: most names
    never reach it, and this runs twice per name with a bare j."""
    s = s.translate(_Y_TO_I)
    if "ng" in s:  # BGN ң = ng; "ngg" too, so ICAO Tangat (Таңғат) meets Cyrillic ң+ғ
        s = _NG.sub("n", s)
    if _DOUBLE.search(s):
        s = _DOUBLE.sub(r"\1", s)
    if "ie" in s or "io" in s:  # Yerlan = Ерлан, Tokayev = Токаев, Vasil'yeva = VASILEVA, Artyom = Артём
        s = _CONSONANT_IO.sub("e", s.replace("ie", "e"))
        if _DOUBLE.search(s):
            s = _DOUBLE.sub(r"\1", s)
    return s.translate(_RENDER)


def _patronymic_groups(tokens: list[str]) -> list[tuple[int, ...]]:
    """Which token positions form patronymics. Never the first word (no order puts the patronymic first)
    and never so many that the key empties. A glued -ovich/-uly word is also a surname (Abramovich,
    Aqsunqaruly), so it counts as a patronymic only when two other tokens remain to carry the name:
    "Roman Abramovich" keeps its surname, "Ivanov Ivan Ivanovich" drops the patronymic. In the order
    given-patronymic-surname both words may look patronymic; the first of them is the patronymic."""
    groups: list[tuple[int, ...]] = []
    used: set[int] = set()
    for i in range(1, len(tokens)):
        if tokens[i] in _MARKERS and i - 1 not in used and len(tokens) - len(used) > 2:
            groups.append((i - 1, i))
            used.update((i - 1, i))
    if len(tokens) - len(used) >= 3:
        for i in range(1, len(tokens)):
            if i not in used and _GLUED_PATRONYMIC.fullmatch(tokens[i]):
                groups.append((i,))
                used.add(i)
                break
    return sorted(groups)


def name_keys(text: str) -> NameKeys:
    """Every key of one written name. The alternative key reads each bare Latin j as a short i (ISO and
    German Jurij, Julia): it hits Юлия, but also Bashkir Юмагулов for Jumagulov, so rank those hits lower."""
    lowered = (text if text.isascii() else unicodedata.normalize("NFC", text)).lower()
    words = _romanise(lowered, _SKEL_TABLE, "S", "C")
    if not words:
        return _EMPTY
    s = " ".join(words)
    for digraph, letter in _DIGRAPHS:
        if digraph in s:
            s = s.replace(digraph, letter)
    if "j" in s:  # step 6: bare j is ж before a vowel (Jumagulov), else й (Sergej, Dmitrij)
        primary_tokens = _fold(_J_BEFORE_VOWEL.sub("J", s).replace("j", "i")).split(" ")
        alt_tokens = _fold(s.replace("j", "i")).split(" ")
    else:
        primary_tokens = alt_tokens = _fold(s).split(" ")
    light = " ".join(_romanise(lowered, _LIGHT_TABLE, "sh", "ch"))

    if len(primary_tokens) < 3 and not any(t in _MARKERS for t in primary_tokens):
        groups: list[tuple[int, ...]] = []
    else:
        groups = _patronymic_groups(primary_tokens)
    if not groups:
        tokens = tuple(primary_tokens)
        primary = " ".join(sorted(tokens))
        alternative = primary if alt_tokens is primary_tokens else " ".join(sorted(alt_tokens))
        return NameKeys(primary, alternative, light, tokens, ())
    skipped = {i for group in groups for i in group}
    kept = [i for i in range(len(primary_tokens)) if i not in skipped]
    tokens = tuple(primary_tokens[i] for i in kept)
    return NameKeys(
        primary=" ".join(sorted(tokens)),
        alternative=" ".join(sorted(alt_tokens[i] for i in kept)),
        light=light,
        tokens=tokens,
        patronymics=tuple("".join(primary_tokens[i] for i in group) for group in groups),
    )


def light_key(text: str) -> str:
    """Steps 1-4 only, in written order (NameKeys.light, without computing the rest): for telling apart,
    by closeness to what was typed, names whose skeletons tie (Валиев and Валеев)."""
    lowered = (text if text.isascii() else unicodedata.normalize("NFC", text)).lower()
    return " ".join(_romanise(lowered, _LIGHT_TABLE, "sh", "ch"))


def skeleton(text: str) -> str:
    """The primary key: equal keys mean one spelling class, and that is all they mean."""
    return name_keys(text).primary


def token_stem(token_key: str) -> str:
    """Surname-only and gender-blind search: Жумагулова finds Жумагулов. Meant for surname tokens; a given
    name such as Marina is stemmed too, which only matters if a caller compares it with surname stems.
    At least three letters stay before the suffix, so Nina and Dina are left alone."""
    return _FEMININE.sub(r"\1", token_key)


def consonant_key(token_key: str) -> str:
    """A blocking key only, never proof of a match: it surfaces Жунусов/Жүнісов (jnsv) for a human to
    verify, and it equally pairs unrelated names that differ only in vowels."""
    if not token_key:
        return ""
    return token_key[0] + token_key[1:].translate(_VOWELS)


def search_key(names: Iterable[str]) -> str:
    """The text stored on Person.search_key: every distinct primary and alternative key of every name
    the person is known by, plus each token, joined with ' | ' (a separator no key contains), so that a
    LIKE '%token%' or trigram query on one column finds the person under any spelling. Deterministic order:
    sorted, so the same set of names gives the same text whatever order the rows come back in."""
    keys: set[str] = set()
    tokens: set[str] = set()
    for name in names:
        k = name_keys(name)
        keys.update((k.primary, k.alternative))
        tokens.update(k.tokens)
        tokens.update(k.patronymics)
        if k.alternative != k.primary:
            tokens.update(k.alternative.split(" "))
    keys.discard("")
    return SEPARATOR.join([*sorted(keys), *sorted(tokens - keys)])


def script_of(text: str) -> str:
    """Returns "cyrl" or "latn" by majority of letters; a tie goes to Cyrillic (a Cyrillic original is the
    better source). No letters at all counts as Latin."""
    cyrillic = len(_CYRILLIC_LETTER.findall(text))
    return "cyrl" if cyrillic and 2 * cyrillic >= len(_LETTER.findall(text)) else "latn"


if __name__ == "__main__":  # python -m people.names: a rough speed figure, deliberately not a test
    import timeit

    # fmt: off
    sample = ["Сания Тойкен", "Saniya Toyken", "Жұмағұлов Болатхан", "Kassym-Jomart Tokayev", "Дмитрий Щукин",
              "Ju'mag'u'lov Bolat", "Şyñğys Äbdirov", "Yerimbetov Askhat", "Ivanov Ivan Ivanovich",
              "Әлия Нұрланқызы"]
    # fmt: on
    rounds = 20000
    seconds = min(timeit.repeat(lambda: [name_keys(s) for s in sample], number=rounds, repeat=5))
    print(f"name_keys: {seconds / (rounds * len(sample)) * 1e6:.2f} µs per name ({len(sample)} sample names)")
