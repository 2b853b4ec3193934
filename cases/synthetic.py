"""Synthetic case data at scale, for load tests, dashboards and search tuning.

Deterministic: one `random.Random(seed)` draws everything in a fixed order, reference rows are read sorted
by code, and UUIDs come from the same generator, so the same `people` and `seed` on an empty database give
the same rows (ids and created/updated stamps aside). The batch size only changes how rows are sent.

Fast: a batch of people is built in memory and written with `bulk_create`, the many-to-many through rows
too, with no per-row query; so are the delta feed's entries (`changes_record_bulk`). A sentence's custody
credit, end and appeal deadline are computed in memory with the functions of `cases.terms`, exactly as
`cases.services.sentence_recompute` would compute them.
The names, weights and words drawn from are in `cases.synthetic_names`.
"""

import datetime as dt
import random
import uuid
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from cases import synthetic_names as sn
from cases.choices import (
    AppealOutcome,
    CaseKind,
    CaseStatus,
    ChargeStatus,
    CustodyKind,
    DetentionOutcome,
    Law,
    SentenceKind,
    SentenceStatus,
)
from cases.models import (
    AppealTerm,
    Charge,
    CustodyCredit,
    CustodyPeriod,
    Detention,
    LegalArticle,
    LegalCase,
    Sentence,
    Treatment,
)
from cases.synthetic_names import DETENTION_COUNT, Pick, W
from cases.terms import credit_days, merged_days, term_end
from core.changes import changes_record_bulk
from core.dates import DateCertainty, DatePrecision
from core.history import history_bulk_record
from events.models import Assembly, AssemblyKind, CauseTag, Place, PlaceKind
from people import names
from people.models import Gender, GroupTag, NameKind, Person, PersonName

ZONE = ZoneInfo("Asia/Almaty")
AS_OF = dt.date(2026, 1, 1)  # sentence statuses are judged on this date, never on today: no now() in data
FIRST_DAY, SPAN = dt.date(2011, 1, 1), (dt.date(2025, 12, 31) - dt.date(2011, 1, 1)).days


class SyntheticError(Exception):
    pass


def _uid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def _day_of(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZONE).date()


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _sorted(queryset) -> list:
    """Rows in code order as Python sorts it: neither the database's row order nor its collation (which
    may ignore hyphens) can change a draw."""
    return sorted(queryset, key=lambda row: row.code)


def _by_code(queryset, weights: dict, default: float) -> Pick:
    """Well-known codes carry their weight, any other row present the default."""
    return Pick((row, weights.get(row.code, default)) for row in _sorted(queryset))


class _Refs:
    """The reference rows that exist when the command runs, read once."""

    def __init__(self):
        places = _sorted(Place.objects.all())
        self.cities = [place for place in places if place.kind == PlaceKind.CITY] or places
        if not self.cities:
            raise SyntheticError("No places to hold assemblies in: run `manage.py migrate` first.")
        self.city = Pick((city, sn.CITY.get(city.code, 1.5)) for city in self.cities)
        self.by_code = {city.code: city for city in self.cities}
        self.cause = _by_code(CauseTag.objects.all(), sn.CAUSE, 1)
        self.treatment = _by_code(Treatment.objects.all(), sn.TREATMENT, 2)
        self.groups = [(tag, sn.GROUP_RULES.get(tag.code)) for tag in _sorted(GroupTag.objects.all())]
        articles = LegalArticle.objects.all()
        self.articles = {
            CaseKind.ADMINISTRATIVE: _by_code(articles.filter(law=Law.ADMINISTRATIVE_CODE), sn.ARTICLE, 1),
            CaseKind.CRIMINAL: _by_code(articles.filter(law=Law.CRIMINAL_CODE), sn.ARTICLE, 1),
        }
        self.rates = dict(CustodyCredit.objects.values_list("sentence_kind", "days_per_custody_day"))
        self.appeal_days = dict(AppealTerm.objects.values_list("case_kind", "days"))

    def city_among(self, rng: random.Random, codes) -> Place:
        favoured = Pick((self.by_code[c], sn.CITY.get(c, 1.5)) for c in codes if c in self.by_code)
        return favoured(rng) if favoured and rng.random() < 0.85 else self.city(rng)

    def groups_for(self, rng: random.Random, *, female: bool, age: int) -> list[int]:
        allowed = Pick(
            (t.pk, sn.GROUP.get(t.code, 1)) for t, rule in self.groups if not rule or rule(female, age)
        )
        if not allowed or rng.random() >= 0.4:
            return []
        return sorted({allowed(rng) for _ in range(1 + (rng.random() < 0.3))})


class _Batch:
    def __init__(self):
        self.people, self.names, self.groups, self.detentions, self.treatments = [], [], [], [], []
        self.periods, self.cases, self.links, self.charges, self.sentences = [], [], [], [], []

    def write(self, size: int, counts: Counter) -> None:
        """Parents first: each bulk_create sets the ids that the children's foreign keys then read."""
        groups, treatment, links = (
            Person.groups.through,
            Detention.treatment.through,
            LegalCase.detentions.through,
        )
        for label, model, rows in (
            ("people", Person, lambda: self.people),
            ("person_names", PersonName, lambda: self.names),
            ("person_groups", groups,
             lambda: [groups(person_id=p.pk, grouptag_id=t) for p, t in self.groups]),
            ("detentions", Detention, lambda: self.detentions),
            ("detention_treatments", treatment,
             lambda: [treatment(detention_id=d.pk, treatment_id=t) for d, t in self.treatments]),
            ("custody_periods", CustodyPeriod, lambda: self.periods),
            ("legal_cases", LegalCase, lambda: self.cases),
            ("case_detentions", links,
             lambda: [links(legalcase_id=c.pk, detention_id=d.pk) for c, d in self.links]),
            ("charges", Charge, lambda: self.charges),
            ("sentences", Sentence, lambda: self.sentences),
        ):  # fmt: skip
            objs = rows()
            model.objects.bulk_create(objs, batch_size=size)
            history_bulk_record(objs, model)  # bulk_create sends no signals: the first version, here
            counts[label] += len(objs)
        # bulk_create sends no signals: the delta feed's entries are written here (names, groups, custody,
        # charges and sentences are part of the person, detention and legal case logged).
        for type_name, records in (
            ("person", self.people),
            ("detention", self.detentions),
            ("legal-case", self.cases),
        ):
            changes_record_bulk(type_name, [record.uid for record in records])


def _intervals(detention: Detention) -> list:
    """Custody as `cases.selectors.detention_custody_intervals` reads it, from the rows still in memory."""
    if detention.synthetic_custody:
        return [(start, end) for _, start, end in detention.synthetic_custody]
    start = timezone.localdate(detention.detained_at)
    return [(start, timezone.localdate(detention.released_at) if detention.released_at else start)]


class _Generator:
    def __init__(self, rng: random.Random, refs: _Refs):
        self.rng, self.refs, self.named = rng, refs, Counter()
        self.places = {city.pk: city for city in refs.cities}

    def assemblies(self, count: int) -> tuple[list[Assembly], list[tuple[Assembly, int]]]:
        """About 60% on the well-known protest days, mostly in the cities that marched then; the rest spread
        over 2011–2025 and over the cities by size. Returns the assemblies and (assembly, cause id) pairs."""
        rng, refs, rows, causes = self.rng, self.refs, [], []
        for _ in range(count):
            if rng.random() < 0.6:
                first, days, cities, title, kind, codes, outcome = W.waves(rng)
                day, city, size = first + _days(rng.randrange(days)), refs.city_among(rng, cities), 4.0
                title = f"{title}, {city.name_en}"
            else:
                day, city, kind = (
                    FIRST_DAY + _days(rng.randrange(SPAN)),
                    refs.city(rng),
                    W.assembly_kind(rng),
                )
                title, codes, outcome, size = f"{sn.KIND_TITLE[kind]} in {city.name_en}", (), None, 2.8
            starts_at = _at(day, rng.randint(10, 18), 30 * rng.randint(0, 1))
            low = 1 if kind == AssemblyKind.SINGLE_PICKET else max(2, round(rng.lognormvariate(size, 0.9)))
            # fmt: off
            rows.append(Assembly(
                uid=_uid(rng), title=title, kind=kind, starts_at=starts_at, place_id=city.pk,
                starts_at_precision=DatePrecision.TIME if rng.random() < 0.85 else DatePrecision.DAY,
                ends_at=starts_at + dt.timedelta(hours=rng.randint(1, 5)) if rng.random() < 0.8 else None,
                address=rng.choice(sn.ADDRESSES), participants_low=low,
                participants_high=low + round(2 * low * rng.random()),
                notification=W.notification(rng), outcome=outcome or W.assembly_outcome(rng),
                confidentiality=W.confidentiality(rng),
            ))
            # fmt: on
            tags = [cause.pk for cause in refs.cause.items if cause.code in codes]
            if not tags and refs.cause:
                tags = sorted({refs.cause(rng).pk for _ in range(1 + (rng.random() < 0.4))})
            causes.extend((rows[-1], pk) for pk in tags)
        return rows, causes

    def index(self, rows: list[Assembly]) -> None:
        """Detainees are drawn to assemblies by size; a single-person picket rarely yields many."""
        weighted = [
            (a, 0.2 if a.kind == AssemblyKind.SINGLE_PICKET else a.participants_low**0.8) for a in rows
        ]
        self.assembly, by_city = Pick(weighted), {}
        for pair in weighted:
            by_city.setdefault(pair[0].place_id, []).append(pair)
        self.city_assembly = {pk: Pick(pairs) for pk, pairs in by_city.items()}

    def pick_assembly(self, home: Place, seen: set) -> Assembly | None:
        local = self.city_assembly.get(home.pk)
        for _ in range(3):  # most people are detained in their own city, and once per assembly
            assembly = local(self.rng) if local and self.rng.random() < 0.75 else self.assembly(self.rng)
            if assembly.pk not in seen:
                return assembly
        return None

    def person(self, batch: _Batch) -> None:
        rng, refs = self.rng, self.refs
        kazakh, female = rng.random() < 0.72, rng.random() < 0.3
        full_name, home = sn.compose_name(rng, kazakh=kazakh, female=female), refs.city(rng)
        # fmt: off
        person = Person(uid=_uid(rng), full_name=full_name, gender=Gender.FEMALE if female else Gender.MALE,
                        home_place_id=home.pk, occupation=W.occupation(rng),
                        confidentiality=W.confidentiality(rng))
        # fmt: on
        seen: set[int] = set()
        detentions = sorted(
            (self.detention(batch, person, home, seen) for _ in range(DETENTION_COUNT(rng))),
            key=lambda d: d.detained_at,
        )
        first_year = _day_of(detentions[0].detained_at).year
        year = rng.randint(1940, min(2005, first_year - 16))
        person.birth_date = dt.date(year, 1, 1)
        if rng.random() < 0.5:
            if rng.random() < 0.2:
                person.birth_date_certainty = DateCertainty.APPROXIMATE
        else:
            person.birth_date += _days(rng.randrange(365))
            person.birth_date_precision = DatePrecision.DAY
        batch.groups.extend((person, pk) for pk in refs.groups_for(rng, female=female, age=first_year - year))
        texts = [(full_name, NameKind.OFFICIAL)]
        if rng.random() < 0.95:
            latin = sn.transliterate(full_name, "icao" if rng.random() < 0.6 else "bgn")
            texts.append((latin, NameKind.TRANSLIT))
            if rng.random() < 0.35:
                kz = kazakh and rng.random() < 0.25
                variant = sn.transliterate(full_name, "kz2021") if kz else sn.media_variant(rng, latin)
                if variant != latin:
                    texts.append((variant, NameKind.ALIAS))
        person.search_key = names.search_key([full_name, *(text for text, _ in texts)])
        batch.people.append(person)
        for text, kind in texts:
            key, script = names.skeleton(text), names.script_of(text)
            batch.names.append(
                PersonName(uid=_uid(rng), person=person, text=text, kind=kind, script=script, key=key)
            )
        plan = self.case_plan(detentions) if rng.random() < 0.08 else None
        for detention in detentions:
            self.custody(batch, detention, plan if plan and detention is plan["origin"] else None)
        if plan:
            self.legal_case(batch, person, plan)

    def detention(self, batch: _Batch, person: Person, home: Place, seen: set) -> Detention:
        """80% at an assembly, within its day and in its city; else at home or on the way, in the home city,
        mostly on the eve or the morning of an assembly."""
        rng = self.rng
        assembly = self.pick_assembly(home, seen) if rng.random() < 0.8 else None
        if assembly:
            seen.add(assembly.pk)
            self.named[assembly.pk] += 1
            detained_at = assembly.starts_at + dt.timedelta(minutes=rng.randrange(240))
            place_id, location = assembly.place_id, ""
        else:
            if rng.random() < 0.6:
                day = max(FIRST_DAY, _day_of(self.assembly(rng).starts_at) - _days(rng.randint(0, 1)))
            else:
                day = FIRST_DAY + _days(rng.randrange(SPAN))
            detained_at = _at(day, rng.randint(6, 20), rng.randrange(60))
            place_id, location = home.pk, rng.choice(sn.LOCATIONS)
        held_at = f"{rng.choice(sn.HELD_AT)}, {self.places[place_id].name_en}" if rng.random() < 0.6 else ""
        # fmt: off
        detention = Detention(
            uid=_uid(rng), person=person, assembly_id=assembly and assembly.pk, detained_at=detained_at,
            detained_at_precision=DatePrecision.TIME if rng.random() < 0.8 else DatePrecision.DAY,
            detained_at_certainty=DateCertainty.EXACT if rng.random() < 0.9 else DateCertainty.APPROXIMATE,
            place_id=place_id, location=location, authority=W.authority(rng), held_at=held_at,
            detention_type=W.detention_type(rng), whereabouts=W.whereabouts(rng), lawyer_access=W.lawyer(rng),
            outcome=W.outcome(rng), verification=W.verification(rng), confidentiality=W.confidentiality(rng),
        )
        # fmt: on
        if self.refs.treatment and rng.random() < 0.5:
            count = 1 + (rng.random() < 0.5) + (rng.random() < 0.3) + (rng.random() < 0.2)
            tags = sorted({self.refs.treatment(rng).pk for _ in range(count)})
            batch.treatments.extend((detention, pk) for pk in tags)
        batch.detentions.append(detention)
        return detention

    def case_plan(self, detentions: list[Detention]) -> dict | None:
        """A legal case grows from the person's latest detention. It is decided before that detention's
        custody is written, so the detention's outcome and custody agree with the case."""
        rng, refs = self.rng, self.refs
        kind = CaseKind.CRIMINAL if rng.random() < 0.3 else CaseKind.ADMINISTRATIVE
        if not refs.articles[kind]:
            kind = CaseKind.ADMINISTRATIVE if kind == CaseKind.CRIMINAL else CaseKind.CRIMINAL
            if not refs.articles[kind]:
                return None
        origin = detentions[-1]
        day = _day_of(origin.detained_at)
        plan = {"origin": origin, "kind": kind, "day": day, "linked": [origin], "arrest": 0, "sizo": 0}
        if kind == CaseKind.CRIMINAL:
            plan["verdict"], plan["sizo"] = W.criminal_verdict(rng), rng.randint(30, 240)
            plan["decided"] = day + _days(3 + plan["sizo"])
            origin.outcome, origin.detention_type = DetentionOutcome.CHARGED, "political_act"
            if len(detentions) > 1 and (origin.detained_at - detentions[-2].detained_at).days <= 90:
                plan["linked"].insert(0, detentions[-2])
        else:
            plan["verdict"], plan["decided"] = W.admin_verdict(rng), day + _days(rng.randint(0, 1))
            origin.detention_type = "administrative"
            if plan["verdict"] == "arrest":
                origin.outcome, plan["arrest"] = DetentionOutcome.ADMINISTRATIVE_ARREST, rng.randint(5, 15)
            else:
                origin.outcome = (
                    DetentionOutcome.FINED if plan["verdict"] == "fine" else DetentionOutcome.RELEASED
                )
        return plan

    def custody(self, batch: _Batch, detention: Detention, plan: dict | None) -> None:
        """Procedural status, release and custody periods, as the outcome implies: an administrative arrest
        is served in a special reception centre, a criminal charge means IVS and then SIZO."""
        rng, outcome, day = self.rng, detention.outcome, _day_of(detention.detained_at)
        periods = []
        if outcome == DetentionOutcome.ADMINISTRATIVE_ARREST:
            last = day + _days(((plan and plan["arrest"]) or rng.randint(5, 15)) - 1)
            periods.append((CustodyKind.SPECIAL_RECEPTION, day, last))
            detention.procedural_status, detention.released_at = W.status_admin(rng), _at(last, 18)
        elif outcome == DetentionOutcome.CHARGED:
            last = day + _days(2 + ((plan and plan["sizo"]) or rng.randint(30, 180)))
            periods.append((CustodyKind.TEMPORARY_DETENTION, day, day + _days(2)))
            periods.append((CustodyKind.PRE_TRIAL, day + _days(3), last if last < AS_OF else None))
            detention.procedural_status = W.status_charged(rng)
        else:
            fined = outcome == DetentionOutcome.FINED
            detention.procedural_status = W.status_admin(rng) if fined else W.status_released(rng)
            if outcome != DetentionOutcome.STILL_HELD and rng.random() < 0.85:
                detention.released_at = detention.detained_at + dt.timedelta(minutes=rng.randint(90, 720))
        detention.synthetic_custody = periods
        city = self.places[detention.place_id].name_en
        for kind, start, end in periods:
            # fmt: off
            batch.periods.append(CustodyPeriod(
                uid=_uid(rng), detention=detention, kind=kind, facility=f"{sn.FACILITY[kind]}, {city}",
                place_id=detention.place_id, started_on=start, ended_on=end,
            ))
            # fmt: on

    def legal_case(self, batch: _Batch, person: Person, plan: dict) -> None:
        rng, refs, kind, day, decided = self.rng, self.refs, plan["kind"], plan["day"], plan["decided"]
        verdict, city = plan["verdict"], self.places[plan["origin"].place_id].name_en
        if kind == CaseKind.CRIMINAL:
            court, number = (
                f"District Court No. {rng.randint(1, 3)} of {city}",
                str(rng.randint(10**14, 10**15)),
            )
        else:
            court = f"Specialised Administrative Court of {city}"
            number = f"{rng.randint(1000, 9999)}-{day:%y}-00-4/{rng.randint(1, 9999)}"
        judge = f"{rng.choice(sn.JUDGES)} {rng.choice(sn.INITIALS)}. {rng.choice(sn.INITIALS)}."
        # fmt: off
        case = LegalCase(uid=_uid(rng), person=person, kind=kind, number=number, court=court, judge=judge,
                         opened_on=day, confidentiality=W.confidentiality(rng))
        # fmt: on
        if decided > AS_OF:
            case.status, charge_status = (
                rng.choice((CaseStatus.INVESTIGATION, CaseStatus.TRIAL)),
                ChargeStatus.PENDING,
            )
        elif verdict in ("acquitted", "closed"):
            case.status = CaseStatus.ACQUITTED if verdict == "acquitted" else CaseStatus.CLOSED
            charge_status = ChargeStatus.ACQUITTED if verdict == "acquitted" else ChargeStatus.DROPPED
        else:
            case.status, charge_status = CaseStatus.CONVICTED, ChargeStatus.CONVICTED
        if kind == CaseKind.CRIMINAL and decided <= AS_OF and verdict != "imprisonment":
            plan["origin"].released_at = _at(decided, 16)
        batch.cases.append(case)
        batch.links.extend((case, detention) for detention in plan["linked"])
        charged_on = day + _days(rng.randint(0, 2) if kind == CaseKind.CRIMINAL else 0)
        for pk in sorted({refs.articles[kind](rng).pk for _ in range(1 + (rng.random() < 0.25))}):
            charge = Charge(
                uid=_uid(rng), legal_case=case, article_id=pk, charged_on=charged_on, status=charge_status
            )
            batch.charges.append(charge)
        if case.status == CaseStatus.CONVICTED:
            self.sentences(batch, case, plan)

    def sentences(self, batch: _Batch, case: LegalCase, plan: dict) -> None:
        rng, verdict, decided = self.rng, plan["verdict"], plan["decided"]
        terms = {  # verdict → [(sentence kind, years, days, fine in MCI)]
            "imprisonment": [(SentenceKind.IMPRISONMENT, rng.randint(2, 8), 0, 0)],
            "restriction": [(SentenceKind.RESTRICTION_OF_LIBERTY, rng.randint(1, 5), 0, 0)],
            "probation": [(SentenceKind.PROBATION, rng.randint(1, 3), 0, 0)],
            "fine": [(SentenceKind.FINE, 0, 0, rng.choice((10, 20, 30, 50, 100, 200)))],
            "arrest": [(SentenceKind.ADMINISTRATIVE_ARREST, 0, plan["arrest"], 0)],
        }[verdict]
        if verdict == "fine" and case.kind == CaseKind.CRIMINAL:
            terms = [(SentenceKind.FINE, 0, 0, 100 * rng.randint(10, 50))]
        if verdict in ("restriction", "probation") and rng.random() < 0.4:
            terms.append((SentenceKind.BAN_ON_ACTIVITY, rng.randint(2, 5), 0, 0))
        appeal = AppealOutcome.PENDING if decided > AS_OF - _days(30) else W.appeal(rng)
        if appeal == AppealOutcome.PENDING:
            case.status = CaseStatus.APPEAL
        intervals = [interval for detention in plan["linked"] for interval in _intervals(detention)]
        for kind, years, days, fine in terms:
            # fmt: off
            sentence = Sentence(
                uid=_uid(rng), legal_case=case, court=case.court, decided_on=decided, kind=kind,
                term_years=years, term_days=days, starts_on=decided, appeal_outcome=appeal,
                amount=Decimal(fine * sn.MCI.get(decided.year, 4000)) if fine else None,
            )
            # fmt: on
            self.compute(sentence, case, intervals)
            if appeal in (AppealOutcome.PENDING, AppealOutcome.OVERTURNED):
                quashed = appeal == AppealOutcome.OVERTURNED
                sentence.status = SentenceStatus.QUASHED if quashed else SentenceStatus.PENDING
            elif kind == SentenceKind.FINE or (sentence.ends_on and sentence.ends_on < AS_OF):
                sentence.status = SentenceStatus.SERVED
            elif kind == SentenceKind.IMPRISONMENT and rng.random() < 0.1:
                sentence.status = (
                    SentenceStatus.PARDONED if rng.random() < 0.3 else SentenceStatus.RELEASED_EARLY
                )
            else:
                sentence.status = SentenceStatus.SERVING
            batch.sentences.append(sentence)

    def compute(self, sentence: Sentence, case: LegalCase, intervals: list) -> None:
        """`sentence_recompute` without its queries: the same rates, intervals and cases.terms functions."""
        rate, credit, ends_on = self.refs.rates.get(sentence.kind), 0, None
        if rate and sentence.starts_on and sentence.has_term:
            credit = credit_days(merged_days(intervals, today=AS_OF, before=sentence.starts_on), rate)
        if sentence.starts_on and sentence.has_term:
            years, months, days = sentence.term_years, sentence.term_months, sentence.term_days
            ends_on = term_end(sentence.starts_on, years=years, months=months, days=days, credit=credit)
        days = self.refs.appeal_days.get(case.kind)
        sentence.custody_credit_days, sentence.ends_on = credit, ends_on
        sentence.appeal_deadline = sentence.decided_on + _days(days) if days is not None else None

    def report_counts(self, assemblies: list[Assembly]) -> None:
        """Sources report at least the detainees monitors could name, and crowds at least that large."""
        rng = self.rng
        for assembly in assemblies:
            named = self.named[assembly.pk]
            assembly.reported_detainees = named + rng.randint(0, 2 * named + 3)
            if assembly.reported_detainees >= 20 and rng.random() < 0.5:
                assembly.reported_detainees_note = f"more than {assembly.reported_detainees // 10 * 10}"
            if named > assembly.participants_low:
                if assembly.kind == AssemblyKind.SINGLE_PICKET:
                    assembly.kind = AssemblyKind.PICKET  # a chain of single pickets, taken one after another
                assembly.participants_low = named + rng.randint(0, 3 * named)
                assembly.participants_high = assembly.participants_low + rng.randint(0, 2 * named)


def synthetic_generate(
    *, people: int, seed: int, batch_size: int = 5000, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Write `people` synthetic people with their names, detentions, custody, legal cases, charges and
    sentences, and about people/30 assemblies, all drawn from `seed`; return the rows written per kind.

    One transaction over the whole run: an interrupted run leaves nothing behind, so the same seed can
    simply be run again (a commit per batch would leave half a data set whose UIDs block the rerun).
    Raises SyntheticError when there are no places, or this seed's rows are already in the database.
    """
    if people < 1 or batch_size < 1:
        raise SyntheticError("--people and --batch-size must be positive.")
    if not connection.features.can_return_rows_from_bulk_insert:
        raise SyntheticError("The database must return ids from bulk inserts (PostgreSQL, SQLite 3.35+).")
    rng, counts = random.Random(seed), Counter()
    with transaction.atomic():
        generator = _Generator(rng, _Refs())
        assemblies, causes = generator.assemblies(max(1, round(people / 30)))
        if Assembly.objects.filter(uid=assemblies[0].uid).exists():
            raise SyntheticError(f"The rows of seed {seed} are already in the database: use another seed.")
        Assembly.objects.bulk_create(assemblies, batch_size=batch_size)
        history_bulk_record(assemblies, Assembly)
        through = Assembly.causes.through
        through.objects.bulk_create(
            [through(assembly_id=a.pk, causetag_id=pk) for a, pk in causes], batch_size=batch_size
        )
        counts.update(assemblies=len(assemblies), assembly_causes=len(causes))
        generator.index(assemblies)
        for start in range(0, people, batch_size):
            batch = _Batch()
            for _ in range(start, min(people, start + batch_size)):
                generator.person(batch)
            batch.write(batch_size, counts)
            if progress:
                progress(min(people, start + batch_size), people)
        generator.report_counts(assemblies)
        counted = (
            "kind",
            "participants_low",
            "participants_high",
            "reported_detainees",
            "reported_detainees_note",
        )
        Assembly.objects.bulk_update(assemblies, counted, batch_size=500)
        history_bulk_record(assemblies, Assembly, update=True)
        changes_record_bulk("assembly", [assembly.uid for assembly in assemblies])
    return dict(counts)
