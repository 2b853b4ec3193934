"""How a cell becomes a value: the columns an import knows (and the headers monitors give them), partial
dates, choice labels in English or Russian, legal articles ("КоАП 488", "CC 405-2") and sentences
("7 суток", "15 days", "штраф 50 МРП"). Each parser raises CellError with a message a monitor understands;
the import adds the row and the column."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.choices import Authority, DetentionOutcome, ProceduralStatus, SentenceKind
from core.dates import DateCertainty, DatePrecision
from core.models import Confidentiality


class CellError(ValueError):
    """One cell cannot be read; the message is shown after "row N, 'column': "."""


# The fields an import fills, in the order the report lists them.
FIELDS = {
    "key": gettext_lazy("your own stable id of the row (optional)"),
    "full_name": gettext_lazy("full name (required)"),
    "birth_date": gettext_lazy("year or date of birth"),
    "detained_at": gettext_lazy("date of detention (required): 2019, 02.2019, 21.02.2019, 21.02.2019 14:30"),
    "city": gettext_lazy("city (a place of the reference data, in any language)"),
    "assembly": gettext_lazy("assembly title"),
    "authority": gettext_lazy("detaining authority"),
    "procedural_status": gettext_lazy("procedural status"),
    "outcome": gettext_lazy("outcome of the detention"),
    "article": gettext_lazy("legal article (КоАП 488, CC 405 part 2)"),
    "sentence": gettext_lazy("sentence (7 суток, 15 days, штраф 50 МРП)"),
    "held_at": gettext_lazy("where held"),
    "notes": gettext_lazy("notes"),
    "confidentiality": gettext_lazy("confidentiality (public, partners, internal, restricted)"),
}
IGNORE = "ignore"  # `--map "Header=ignore"` skips a column
REQUIRED = ("full_name", "detained_at")


def normalise(text) -> str:
    """Case, ё, punctuation and spacing do not matter when a header or a label is compared."""
    text = str(text or "").casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


# Headers as monitors write them (normalised). The field names and their English descriptions match too.
_HEADERS = {
    "key": ["id", "key", "ключ", "import key", "идентификатор"],
    "full_name": [
        "фио",
        "ф и о",
        "full name",
        "name",
        "имя",
        "фамилия имя отчество",
        "задержанный",
        "задержанная",
        "person",
        "detainee",
        "аты жөні",
    ],
    "birth_date": [
        "год рождения",
        "г р",
        "дата рождения",
        "birth year",
        "year of birth",
        "born",
        "birth date",
    ],
    "detained_at": [
        "дата задержания",
        "дата",
        "date",
        "detained at",
        "date of detention",
        "detention date",
        "когда задержан",
        "detained on",
    ],
    "city": ["город", "city", "населенный пункт", "place", "место", "town"],
    "assembly": [
        "акция",
        "мероприятие",
        "собрание",
        "митинг",
        "assembly",
        "event",
        "assembly title",
        "protest",
        "название акции",
    ],
    "authority": [
        "кто задержал",
        "орган",
        "detaining authority",
        "authority",
        "detained by",
        "задержавший орган",
    ],
    "procedural_status": ["статус", "процессуальный статус", "status", "procedural status"],
    "outcome": ["итог", "результат", "outcome", "result", "чем закончилось"],
    "article": ["статья", "article", "статья коап ук", "статья ук коап", "legal article"],
    "sentence": ["наказание", "приговор", "взыскание", "sentence", "penalty", "punishment", "решение суда"],
    "held_at": ["где содержался", "место содержания", "held at", "where held"],
    "notes": ["примечание", "примечания", "комментарий", "notes", "note", "comment", "comments"],
    "confidentiality": ["конфиденциальность", "confidentiality", "доступ"],
    IGNORE: ["№", "n", "no", "nr", "#", "п п", "номер"],
}
HEADER_ALIASES = {normalise(alias): field for field, aliases in _HEADERS.items() for alias in aliases}
HEADER_ALIASES.update({normalise(field): field for field in FIELDS})


def field_for_header(header: str) -> str | None:
    """The field a header names, or None when it is not known (the user maps it)."""
    return HEADER_ALIASES.get(normalise(header)) or (IGNORE if header.strip() in ("№", "#") else None)


# Values monitors write that are not the app's labels (normalised text → stored value).
_SYNONYMS = {
    "authority": {
        "полиция": Authority.POLICE,
        "мвд": Authority.POLICE,
        "police": Authority.POLICE,
        "спецназ": Authority.SPECIAL_FORCES,
        "омон": Authority.SPECIAL_FORCES,
        "собр": Authority.SPECIAL_FORCES,
        "спецподразделение": Authority.SPECIAL_FORCES,
        "кнб": Authority.NATIONAL_SECURITY,
        "комитет национальной безопасности": Authority.NATIONAL_SECURITY,
        "knb": Authority.NATIONAL_SECURITY,
        "нацгвардия": Authority.MILITARY,
        "национальная гвардия": Authority.MILITARY,
        "военные": Authority.MILITARY,
        "акимат": Authority.LOCAL_OFFICIALS,
        "в штатском": Authority.PLAIN_CLOTHES,
        "люди в штатском": Authority.PLAIN_CLOTHES,
        "неизвестные в штатском": Authority.PLAIN_CLOTHES,
        "неизвестно": Authority.UNKNOWN,
    },
    "procedural_status": {
        "свидетель с правом на защиту": ProceduralStatus.WITNESS_WITH_RIGHT_TO_DEFENCE,
        "свидетель имеющий право на защиту": ProceduralStatus.WITNESS_WITH_RIGHT_TO_DEFENCE,
        "свидетель": ProceduralStatus.WITNESS,
        "подозреваемый": ProceduralStatus.SUSPECT,
        "подозреваемая": ProceduralStatus.SUSPECT,
        "обвиняемый": ProceduralStatus.ACCUSED,
        "обвиняемая": ProceduralStatus.ACCUSED,
        "административно задержанный": ProceduralStatus.ADMINISTRATIVE_DETAINEE,
        "административно задержанная": ProceduralStatus.ADMINISTRATIVE_DETAINEE,
        "административный": ProceduralStatus.ADMINISTRATIVE_DETAINEE,
        "без статуса": ProceduralStatus.NONE,
        "неизвестно": ProceduralStatus.UNKNOWN,
    },
    "outcome": {
        "отпущен": DetentionOutcome.RELEASED,
        "отпущена": DetentionOutcome.RELEASED,
        "освобожден": DetentionOutcome.RELEASED,
        "освобождена": DetentionOutcome.RELEASED,
        "освобожден без обвинения": DetentionOutcome.RELEASED,
        "released": DetentionOutcome.RELEASED,
        "предупреждение": DetentionOutcome.WARNED,
        "отпущен с предупреждением": DetentionOutcome.WARNED,
        "штраф": DetentionOutcome.FINED,
        "оштрафован": DetentionOutcome.FINED,
        "оштрафована": DetentionOutcome.FINED,
        "административный арест": DetentionOutcome.ADMINISTRATIVE_ARREST,
        "арест": DetentionOutcome.ADMINISTRATIVE_ARREST,
        "уголовное дело": DetentionOutcome.CHARGED,
        "возбуждено уголовное дело": DetentionOutcome.CHARGED,
        "обвинен": DetentionOutcome.CHARGED,
        "под стражей": DetentionOutcome.STILL_HELD,
        "содержится": DetentionOutcome.STILL_HELD,
        "неизвестно": DetentionOutcome.UNKNOWN,
    },
    "confidentiality": {
        "публично": Confidentiality.PUBLIC,
        "партнеры": Confidentiality.PARTNERS,
        "внутреннее": Confidentiality.INTERNAL,
        "ограничено": Confidentiality.RESTRICTED,
    },
}
CHOICES = {
    "authority": Authority,
    "procedural_status": ProceduralStatus,
    "outcome": DetentionOutcome,
    "confidentiality": Confidentiality,
}


def choice_vocabulary(field: str) -> dict[str, str]:
    """Normalised text → stored value: the value itself, its English label, its Russian label (from the
    translations, when they are compiled) and the synonyms above."""
    choices = CHOICES[field]
    vocabulary = {normalise(value): value for value in choices.values}
    for language in ("ru", "kk", "en"):
        with translation.override(language):
            vocabulary.update({normalise(str(label)): value for value, label in choices.choices})
    vocabulary.update({normalise(text): value for text, value in _SYNONYMS.get(field, {}).items()})
    return vocabulary


def parse_choice(field: str, text: str, vocabulary: dict[str, str]) -> str:
    value = vocabulary.get(normalise(text))
    if value is None:
        labels = ", ".join(f"'{label}'" for label in CHOICES[field].labels)
        raise CellError(_("'%(text)s' is not one of %(labels)s") % {"text": text, "labels": labels})
    return value


# --- Dates ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartialDate:
    value: dt.datetime  # aware, local midnight of the first day of the period (or the exact time)
    precision: str
    certainty: str

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.value).date()


_APPROX_PREFIX = re.compile(r"^(около|ок\.?|примерно|circa|ca\.?|c\.|about|~)\s*", re.IGNORECASE)
_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})$"), "y"),
    (re.compile(r"^(\d{1,2})[./-](\d{4})$"), "my"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "ym"),
    (
        re.compile(
            r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})(?:[ ,T]+(\d{1,2})[:.](\d{2})(?::(\d{2}))?)?$"
        ),
        "dmy",
    ),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"), "ymd"),
)


def _local(year, month=1, day=1, hour=0, minute=0, second=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute, second))


def parse_partial_date(cell, *, today: dt.date | None = None) -> PartialDate:
    """2019 (year), 02.2019 / 2019-02 (month), 21.02.2019 / 2019-02-21 (day), 21.02.2019 14:30 (time),
    an Excel date or date-time cell; a trailing ~ or a leading "около" means approximate, a trailing ?
    uncertain. Raises CellError for anything else, an impossible day (31.02.2019) or a date in the future."""
    today = today or timezone.localdate()
    certainty = DateCertainty.EXACT
    if isinstance(cell, dt.datetime):
        has_time = (cell.hour, cell.minute, cell.second) != (0, 0, 0)
        moment = timezone.make_aware(cell) if timezone.is_naive(cell) else cell
        result = PartialDate(moment, DatePrecision.TIME if has_time else DatePrecision.DAY, certainty)
    elif isinstance(cell, dt.date):
        result = PartialDate(_local(cell.year, cell.month, cell.day), DatePrecision.DAY, certainty)
    else:
        text = str(cell).strip()
        if isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        if text.endswith("~"):
            certainty, text = DateCertainty.APPROXIMATE, text[:-1].strip()
        elif text.endswith("?"):
            certainty, text = DateCertainty.UNCERTAIN, text[:-1].strip()
        prefixed = _APPROX_PREFIX.sub("", text)
        if prefixed != text:
            certainty, text = DateCertainty.APPROXIMATE, prefixed.strip()
        result = None
        for pattern, shape in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                result = _from_match(shape, match.groups(), certainty, str(cell).strip())
                break
        if result is None:
            raise CellError(
                _("'%(text)s' is not a date (write 2019, 02.2019, 21.02.2019 or 21.02.2019 14:30)")
                % {"text": cell}
            )
    if result.day > today:
        raise CellError(_("'%(text)s' is in the future") % {"text": cell})
    return result


def _from_match(shape: str, groups, certainty: str, original: str) -> PartialDate:
    numbers = [int(g) if g is not None else None for g in groups]
    try:
        if shape == "y":
            return PartialDate(_local(numbers[0]), DatePrecision.YEAR, certainty)
        if shape in ("my", "ym"):
            month, year = numbers if shape == "my" else numbers[::-1]
            return PartialDate(_local(year, month), DatePrecision.MONTH, certainty)
        if shape == "dmy":
            day, month, year, hour, minute, second = numbers
            if year < 100:
                year += 2000 if year <= timezone.localdate().year % 100 else 1900
        else:
            year, month, day, hour, minute, second = numbers
        if hour is None:
            return PartialDate(_local(year, month, day), DatePrecision.DAY, certainty)
        return PartialDate(_local(year, month, day, hour, minute, second or 0), DatePrecision.TIME, certainty)
    except ValueError:
        raise CellError(_("'%(text)s' is not a date") % {"text": original}) from None


# --- Legal articles ---------------------------------------------------------------------------------------

_AOC_WORDS = ("коап", "aoc", "кообап", "административн", "administrative", "ак рк")
_CC_WORDS = ("ук", "cc", "уголовн", "criminal", "қк")


@dataclass(frozen=True)
class ArticleRef:
    law: str  # "CC" or "AOC"
    number: str
    part: str


def parse_article(text: str) -> ArticleRef | str:
    """ "КоАП 488", "ст. 488 ч. 6 КоАП РК", "AOC 488(6)", "CC 405-2", "УК 174 ч.1" → (law, article, part);
    a code like "cc-405-2" is returned as it is (a string). Raises CellError when no code or no article
    number can be read."""
    raw = str(text).strip()
    if re.fullmatch(r"(cc|aoc)-\d+[a-z0-9-]*", raw.lower()):
        return raw.lower()
    lowered = normalise(raw)
    words = lowered.split()
    law = None
    if any(w.startswith(_AOC_WORDS) for w in words) or "ак рк" in lowered:
        law = "AOC"
    elif any(w in ("ук", "cc", "қк") or w.startswith(_CC_WORDS[2:]) for w in words):
        law = "CC"
    numbers = re.findall(r"\d+", lowered)
    if law is None or not numbers:
        raise CellError(
            _("'%(text)s' is not a legal article (write e.g. 'КоАП 488 ч.1', 'AOC 488-1', 'CC 405 part 2')")
            % {"text": raw}
        )
    return ArticleRef(law, numbers[0], numbers[1] if len(numbers) > 1 else "")


# --- Sentences --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceTerm:
    kind: str
    years: int = 0
    months: int = 0
    days: int = 0
    amount: Decimal | None = None
    currency: str = ""


_UNITS = (
    (re.compile(r"^(сут|сутки|суток|day|days|дн|дня|дней|день|d)$"), "days"),
    (re.compile(r"^(мес|месяц|месяца|месяцев|month|months|m)$"), "months"),
    (re.compile(r"^(г|год|года|лет|year|years|y)$"), "years"),
    (re.compile(r"^(мрп|mci|mrp)$"), "MCI"),
    (re.compile(r"^(тенге|тг|kzt|₸)$"), "KZT"),
)
_KIND_WORDS = (
    (("ограничени", "restriction"), SentenceKind.RESTRICTION_OF_LIBERTY),
    (("условн", "probation", "suspended"), SentenceKind.PROBATION),
    (("лишени", "imprison", "prison", "колони", "заключени"), SentenceKind.IMPRISONMENT),
    (("запрет", "ban"), SentenceKind.BAN_ON_ACTIVITY),
    (("общественн", "community"), SentenceKind.COMMUNITY_WORK),
    (("штраф", "fine"), SentenceKind.FINE),
    (("арест", "arrest"), SentenceKind.ADMINISTRATIVE_ARREST),
)


def parse_sentence(text: str) -> SentenceTerm:
    """A penalty as monitors write it: "7 суток" (administrative arrest), "15 days", "штраф 50 МРП" (a fine
    in monthly calculation indices, kept as currency MCI), "штраф 100 000 тенге", "2 года ограничения
    свободы", "5 лет лишения свободы", "3 years imprisonment". Raises CellError when neither a kind nor a
    term can be read."""
    raw = str(text).strip()
    lowered = normalise(raw.replace("₸", " тенге "))
    lowered = re.sub(r"(?<=\d) (?=\d{3}\b)", "", lowered)  # "100 000" is one number
    lowered = re.sub(r"(\d)([^\d\s])", r"\1 \2", lowered)  # "7сут" → "7 сут"
    words = lowered.split()
    term = {"years": 0, "months": 0, "days": 0}
    amount, currency = None, ""
    index = 0
    while index < len(words):
        word = words[index]
        if word.isdigit() and index + 1 < len(words):
            unit = next((name for pattern, name in _UNITS if pattern.match(words[index + 1])), None)
            if unit in term:
                term[unit] += int(word)
                index += 2
                continue
            if unit in ("MCI", "KZT"):
                amount, currency = Decimal(word), unit
                index += 2
                continue
        index += 1
    kind = None
    for stems, candidate in _KIND_WORDS:
        if any(word.startswith(stems) for word in words):
            kind = candidate
            break
    if kind is None:
        vocabulary = {normalise(label): value for value, label in SentenceKind.choices}
        with translation.override("ru"):
            vocabulary.update({normalise(str(label)): value for value, label in SentenceKind.choices})
        kind = vocabulary.get(lowered)
    if kind is None:
        if amount is not None:
            kind = SentenceKind.FINE
        elif term["days"] and not (term["years"] or term["months"]):
            kind = SentenceKind.ADMINISTRATIVE_ARREST
        elif term["years"] or term["months"]:
            kind = SentenceKind.IMPRISONMENT
    if kind is None or (
        kind != SentenceKind.FINE
        and not any(term.values())
        and amount is None
        and kind not in (SentenceKind.BAN_ON_ACTIVITY, SentenceKind.PROBATION)
    ):
        raise CellError(
            _(
                "'%(text)s' is not a sentence (write e.g. '7 суток', '15 days', 'штраф 50 МРП', "
                "'2 года ограничения свободы')"
            )
            % {"text": raw}
        )
    return SentenceTerm(kind, amount=amount, currency=currency, **term)


def parse_birth(cell) -> PartialDate:
    """A year of birth (1985, 1985.0 from Excel, "1985 г.") or a date of birth."""
    text = str(cell).strip()
    if isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    match = re.fullmatch(r"(\d{4})\s*(г|г\.|года|y)?", text)
    if match:
        text = match.group(1)
    try:
        birth = parse_partial_date(text if not isinstance(cell, dt.date) else cell)
    except CellError:
        raise CellError(_("'%(text)s' is not a year of birth") % {"text": cell}) from None
    if birth.value.year < 1900:
        raise CellError(_("'%(text)s' is not a year of birth") % {"text": cell})
    return birth
