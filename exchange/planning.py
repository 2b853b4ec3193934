"""The read-only half of an import: every row read, validated and matched against what the importing user may
see, before anything is written. `exchange.services.detentions_import` then writes the plan.

Matching rules (one place, shared by the command and the admin):
- a person: the skeleton key of the row's name (people.names) equals the key of one of the live names of a
  visible person, and the birth years agree (either unknown counts as agreeing; a known equal year wins over
  an unknown one). Two or more candidates left is an error: the row names which, so the monitor adds a year.
  Rows of the file that match nobody and share key and year are one new person.
- an assembly: the same title (case and spacing aside), city and date at the row's precision; else created.
- a detention: the row's own key (`key` column) imported before; else the matched person's live detention at
  the matched assembly, or on the same day (month, year) with no assembly. It is updated, never duplicated.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Detention, LegalArticle
from core.dates import DatePrecision, to_edtf
from events.models import Assembly, Place, PlaceKind
from exchange.models import ChangeAction, ImportChange, ImportStatus
from exchange.reading import Sheet
from exchange.values import (
    CHOICES,
    FIELDS,
    IGNORE,
    REQUIRED,
    ArticleRef,
    CellError,
    PartialDate,
    SentenceTerm,
    choice_vocabulary,
    field_for_header,
    normalise,
    parse_article,
    parse_birth,
    parse_choice,
    parse_partial_date,
    parse_sentence,
)
from people import names
from people.models import Person, PersonName


class MappingError(ValueError):
    """Headers the import does not know (or required fields no column gives); `unknown` lists them."""

    def __init__(self, message: str, *, unknown: list[str]):
        super().__init__(message)
        self.unknown = unknown


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    column: str
    message: str

    def __str__(self):
        where = f"'{self.field}'" if self.column in ("", self.field) else f"'{self.field}' ({self.column})"
        return _("row %(row)s, %(where)s: %(message)s") % {
            "row": self.row,
            "where": where,
            "message": self.message,
        }


@dataclass
class RowPlan:
    row: int
    key: str
    full_name: str
    name_key: str
    detained: PartialDate
    birth: PartialDate | None = None
    place: Place | None = None
    assembly_title: str = ""
    person: Person | None = None  # an existing person; None: `new_person` (a key shared by rows of the file)
    new_person: tuple | None = None
    assembly: Assembly | None = None
    new_assembly: tuple | None = None
    detention: Detention | None = None
    changes: dict = field(default_factory=dict)  # for an existing detention: the fields that differ
    values: dict = field(default_factory=dict)  # detention fields the row gives
    article: LegalArticle | None = None
    sentence: SentenceTerm | None = None
    confidentiality: str = ""
    notes: list[str] = field(default_factory=list)  # warnings shown in the report


@dataclass
class Plan:
    rows: list[RowPlan]
    errors: list[RowError]
    columns: dict[int, str]  # column index → field
    headers: list[str]


def resolve_columns(headers: list[str], mapping: dict[str, str]) -> dict[int, str]:
    """Column index → field, from the user's mapping first, then the recognised headers. Raises MappingError
    naming every unknown header (and every required field no column gives)."""
    columns, unknown = {}, []
    normalised_mapping = {normalise(h): f for h, f in mapping.items()}
    for index, header in enumerate(headers):
        if not header:
            continue
        field_name = normalised_mapping.get(normalise(header)) or field_for_header(header)
        if field_name is None:
            unknown.append(header)
        elif field_name != IGNORE:
            columns[index] = field_name
    bad_targets = sorted({f for f in mapping.values() if f not in FIELDS and f != IGNORE})
    if bad_targets:
        raise MappingError(
            _(
                "Unknown field(s) in the mapping: %(fields)s. Fields: %(known)s, or %(ignore)s to skip a "
                "column."
            )
            % {"fields": ", ".join(bad_targets), "known": ", ".join(FIELDS), "ignore": IGNORE},
            unknown=[],
        )
    if unknown:
        raise MappingError(
            _(
                'Unknown column(s): %(headers)s. Map each to a field with --map "Header=field" (fields: '
                "%(known)s; %(ignore)s skips a column)."
            )
            % {"headers": ", ".join(f"'{h}'" for h in unknown), "known": ", ".join(FIELDS), "ignore": IGNORE},
            unknown=unknown,
        )
    missing = [f for f in REQUIRED if f not in columns.values()]
    if missing:
        raise MappingError(
            _('No column gives %(fields)s: map a column to it with --map "Header=field".')
            % {"fields": ", ".join(missing)},
            unknown=[],
        )
    return columns


def _period_key(date: PartialDate) -> str:
    precision = DatePrecision.DAY if date.precision == DatePrecision.TIME else date.precision
    return to_edtf(date.value, precision)


def _same_period(moment, date: PartialDate) -> bool:
    return to_edtf(moment, DatePrecision.DAY).startswith(_period_key(date))


class _Places:
    def __init__(self):
        self.by_name: dict[str, Place] = {}
        for place in Place.objects.order_by("-kind"):  # cities win over regions of the same name
            for text in (place.code, place.name_en, place.name_ru, place.name_kk):
                if text and (normalise(text) not in self.by_name or place.kind == PlaceKind.CITY):
                    self.by_name[normalise(text)] = place

    def get(self, text: str) -> Place:
        place = self.by_name.get(normalise(text))
        if place is None:
            raise CellError(
                _(
                    "'%(text)s' is not a known place (places are matched in English, Russian or Kazakh; an "
                    "administrator adds missing ones under Places)"
                )
                % {"text": text}
            )
        return place


class _Articles:
    def __init__(self):
        self.all = list(LegalArticle.objects.all())
        self.by_code = {a.code: a for a in self.all}
        self.by_title = {}
        for article in self.all:
            for title in (article.name_en, article.name_ru, article.name_kk):
                self.by_title.setdefault(normalise(title), []).append(article)

    def get(self, text: str) -> tuple[LegalArticle, str]:
        candidates = self.by_title.get(normalise(text), [])
        if len(candidates) == 1:
            return candidates[0], ""
        ref = parse_article(text)
        if isinstance(ref, str):
            if ref in self.by_code:
                return self.by_code[ref], ""
            raise CellError(_("'%(text)s' is not a known legal article") % {"text": text})
        return self._by_ref(ref, text)

    def _by_ref(self, ref: ArticleRef, text: str) -> tuple[LegalArticle, str]:
        same = sorted(
            (a for a in self.all if a.law == ref.law and a.number == ref.number),
            key=lambda a: (len(a.part), a.part),
        )
        if ref.part:
            exact = [a for a in same if a.part == ref.part]
            if exact:
                return exact[0], ""
        elif same:
            whole = [a for a in same if not a.part]
            if whole or len(same) == 1:
                return (whole or same)[0], ""
            return same[0], _("'%(text)s' gives no part: read as %(citation)s") % {
                "text": text,
                "citation": same[0].citation,
            }
        label = f"{ref.law} {ref.number}" + (f"({ref.part})" if ref.part else "")
        raise CellError(
            _(
                "'%(text)s' (%(label)s) is not an article of the reference data (an administrator adds it "
                "under "
                "Legal articles)"
            )
            % {"text": text, "label": label}
        )


class _People:
    """Visible live people by the skeleton key of each of their live names, with their birth year."""

    def __init__(self, user):
        visible = Person.objects.visible_to(user).values("pk")
        self.by_key: dict[str, dict[int, int | None]] = defaultdict(dict)
        self.people: dict[int, tuple[str, int | None]] = {}
        rows = (
            PersonName.objects.live()
            .filter(person__in=visible)
            .exclude(key="")
            .values_list("key", "person_id", "person__full_name", "person__birth_date")
        )
        for key, person_id, full_name, birth in rows:
            year = birth.year if birth else None
            self.by_key[key][person_id] = year
            self.people[person_id] = (full_name, year)

    def match(self, key: str, year: int | None) -> list[int]:
        candidates = self.by_key.get(key, {})
        if year is None:
            return sorted(candidates)
        same = sorted(pk for pk, y in candidates.items() if y == year)
        return same or sorted(pk for pk, y in candidates.items() if y is None)


def _cell(row: list, index: int):
    value = row[index] if index < len(row) else None
    if isinstance(value, str):
        value = " ".join(value.split())
    return None if value in (None, "") else value


def plan_import(*, user, sheet: Sheet, mapping: dict[str, str]) -> Plan:
    """Read, validate and match every row; nothing is written. Raises MappingError for unknown headers."""
    columns = resolve_columns(sheet.headers, mapping)
    header_of = {f: sheet.headers[i] for i, f in columns.items()}
    places, articles, people = _Places(), _Articles(), _People(user)
    vocabularies = {f: choice_vocabulary(f) for f in CHOICES}
    errors: list[RowError] = []
    plans: list[RowPlan] = []
    seen_keys: dict[str, int] = {}
    for number, row in sheet.rows:
        cells = {f: _cell(row, i) for i, f in columns.items()}
        row_errors = []

        def fail(field_name, message, row_errors=row_errors, number=number):
            row_errors.append(RowError(number, field_name, header_of.get(field_name, ""), message))

        parsed = {}
        for field_name in REQUIRED:
            if cells.get(field_name) is None:
                fail(field_name, _("is empty; every row needs it"))
        full_name = str(cells.get("full_name") or "")
        name_key = names.skeleton(full_name) if full_name else ""
        if full_name and not name_key:
            fail("full_name", _("'%(text)s' is not a name (it has no letters)") % {"text": full_name})
        readers = {
            "detained_at": parse_partial_date,
            "birth_date": parse_birth,
            "city": places.get,
            "article": articles.get,
            "sentence": parse_sentence,
        }
        for field_name, value in cells.items():
            if value is None or field_name in ("full_name", "key", "assembly", "held_at", "notes"):
                continue
            try:
                if field_name in readers:
                    parsed[field_name] = readers[field_name](value)
                elif field_name in vocabularies:
                    parsed[field_name] = parse_choice(field_name, str(value), vocabularies[field_name])
            except CellError as exc:
                fail(field_name, str(exc))
        title = str(cells.get("assembly") or "")
        if title and cells.get("city") is None:
            fail("city", _("is empty; an assembly ('%(title)s') needs its city") % {"title": title})
        if row_errors:
            errors.extend(row_errors)
            continue
        plan = RowPlan(
            row=number,
            key="",
            full_name=full_name,
            name_key=name_key,
            detained=parsed["detained_at"],
            birth=parsed.get("birth_date"),
            place=parsed.get("city"),
            assembly_title=title,
            sentence=parsed.get("sentence"),
            confidentiality=parsed.get("confidentiality", ""),
        )
        if "article" in parsed:
            plan.article, warning = parsed["article"]
            if warning:
                plan.notes.append(warning)
        if plan.birth and plan.birth.value.date() > plan.detained.day:
            fail("birth_date", _("is after the date of detention"))
            errors.extend(row_errors)
            continue
        plan.values = {
            name: parsed[name] for name in ("authority", "procedural_status", "outcome") if name in parsed
        }
        for name in ("held_at", "notes"):
            if cells.get(name) is not None:
                plan.values[name] = str(cells[name])
        year = plan.birth.value.year if plan.birth else None
        plan.key = (
            str(cells.get("key") or "")
            or hashlib.sha256(
                "|".join(
                    [
                        name_key,
                        str(year or ""),
                        _period_key(plan.detained),
                        plan.place.code if plan.place else "",
                        normalise(title),
                    ]
                ).encode()
            ).hexdigest()[:32]
        )
        if plan.key in seen_keys:
            fail(
                "full_name",
                _("the same person, date, city and assembly as row %(other)s: one of them is a duplicate")
                % {"other": seen_keys[plan.key]},
            )
            errors.extend(row_errors)
            continue
        seen_keys[plan.key] = number
        candidates = people.match(name_key, year)
        if len(candidates) > 1:
            listing = "; ".join(
                f"{people.people[pk][0]} ({people.people[pk][1] or _('birth year unknown')}, id {pk})"
                for pk in candidates[:5]
            )
            fail(
                "full_name",
                _("'%(name)s' matches %(count)s people: %(people)s. Add the year of birth.")
                % {"name": full_name, "count": len(candidates), "people": listing},
            )
            errors.extend(row_errors)
            continue
        if candidates:
            plan.person = Person(pk=candidates[0], full_name=people.people[candidates[0]][0])
        else:
            plan.new_person = (name_key, year)
        plans.append(plan)
    _merge_new_people(plans)
    _match_people_objects(plans)
    _match_assemblies(user, plans)
    _match_detentions(user, plans)
    return Plan(
        rows=plans, errors=sorted(errors, key=lambda e: e.row), columns=columns, headers=sheet.headers
    )


def _merge_new_people(plans: list[RowPlan]) -> None:
    """Rows of one new person: the same key and year, or the same key with the year unknown on one side when
    only one person of that key is new in the file."""
    years_by_key = defaultdict(set)
    for plan in plans:
        if plan.new_person:
            years_by_key[plan.new_person[0]].add(plan.new_person[1])
    for plan in plans:
        if plan.new_person and plan.new_person[1] is None:
            known = years_by_key[plan.new_person[0]] - {None}
            if len(known) == 1:
                plan.new_person = (plan.new_person[0], known.pop())


def _match_people_objects(plans: list[RowPlan]) -> None:
    ids = {plan.person.pk for plan in plans if plan.person}
    loaded = Person.objects.in_bulk(ids)
    for plan in plans:
        if plan.person:
            plan.person = loaded[plan.person.pk]


def _match_assemblies(user, plans: list[RowPlan]) -> None:
    wanted = {(normalise(p.assembly_title), p.place.pk) for p in plans if p.assembly_title}
    if not wanted:
        return
    titles = {title for title, _place in wanted}
    index = defaultdict(list)
    candidates = Assembly.objects.visible_to(user).filter(place__in={place for _t, place in wanted})
    for assembly in candidates.order_by("starts_at", "id"):
        title = normalise(assembly.title)
        if title in titles:
            index[(title, assembly.place_id)].append(assembly)
    for plan in plans:
        if not plan.assembly_title:
            continue
        same = [
            a
            for a in index.get((normalise(plan.assembly_title), plan.place.pk), [])
            if _same_period(a.starts_at, plan.detained)
        ]
        if same:
            plan.assembly = same[0]
        else:
            plan.new_assembly = (normalise(plan.assembly_title), plan.place.pk, _period_key(plan.detained))


def _match_detentions(user, plans: list[RowPlan]) -> None:
    keyed = {}
    explicit = [p.key for p in plans]
    for start in range(0, len(explicit), 500):
        changes = ImportChange.objects.filter(
            row_key__in=explicit[start : start + 500],
            model="cases.detention",
            action=ChangeAction.CREATED,
            batch__status=ImportStatus.IMPORTED,
        ).order_by("id")
        keyed.update({c.row_key: c.object_id for c in changes})
    person_ids = sorted({p.person.pk for p in plans if p.person})
    by_person = defaultdict(list)
    visible = Detention.objects.visible_to(user)
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start : start + 500]
        for detention in visible.filter(Q(person_id__in=chunk)).order_by("detained_at", "id"):
            by_person[detention.person_id].append(detention)
    by_id = {d.pk: d for ds in by_person.values() for d in ds}
    missing = [pk for pk in keyed.values() if pk not in by_id]
    if missing:
        by_id.update(visible.in_bulk(missing))
    used, keyed_ids = set(), set(keyed.values())
    for plan in plans:
        detention = by_id.get(keyed.get(plan.key))
        if detention is None and plan.person:
            mine = by_person.get(plan.person.pk, [])
            mine = [d for d in mine if d.pk not in used and d.pk not in keyed_ids]
            if plan.assembly:
                detention = next((d for d in mine if d.assembly_id == plan.assembly.pk), None)
            elif not plan.assembly_title:
                detention = next(
                    (d for d in mine if d.assembly_id is None and _same_period(d.detained_at, plan.detained)),
                    None,
                )
        if detention is not None and (plan.person is None or detention.person_id != plan.person.pk):
            detention = None  # the row now names someone else: a new detention of that person
        if detention is not None:
            used.add(detention.pk)
            plan.detention = detention
            plan.changes = detention_changes(detention, plan)


def detention_fields(plan: RowPlan) -> dict:
    """The Detention fields a row sets (assembly and person are set by the import itself)."""
    fields = dict(plan.values)
    fields.update(
        detained_at=plan.detained.value,
        detained_at_precision=plan.detained.precision,
        detained_at_certainty=plan.detained.certainty,
    )
    if plan.place is not None:
        fields["place"] = plan.place
    if plan.confidentiality:
        fields["confidentiality"] = plan.confidentiality
    return fields


def detention_changes(detention: Detention, plan: RowPlan) -> dict:
    """What an existing detention would change to. A date the row gives less precisely than the record (the
    day where the record has the time) is the same date, so it is kept."""
    wanted = detention_fields(plan)
    changes = {}
    precision = plan.detained.precision
    same_date = to_edtf(detention.detained_at, precision, plan.detained.certainty) == to_edtf(
        plan.detained.value, precision, plan.detained.certainty
    ) and _finer_or_equal(detention.detained_at_precision, precision)
    for name in ("detained_at", "detained_at_precision", "detained_at_certainty"):
        wanted.pop(name)
        if not same_date:
            changes[name] = detention_fields(plan)[name]
    for name, value in wanted.items():
        if name == "place":  # compared by id: loading each detention's place would cost a query per row
            if detention.place_id != value.pk:
                changes[name] = value
        elif getattr(detention, name) != value:
            changes[name] = value
    if plan.assembly is not None and detention.assembly_id != plan.assembly.pk:
        changes["assembly"] = plan.assembly
    return changes


_ORDER = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY, DatePrecision.TIME]


def _finer_or_equal(a: str, b: str) -> bool:
    return _ORDER.index(a) >= _ORDER.index(b)


def local_day(moment):
    return timezone.localtime(moment).date()
