"""Writing the demo data set: every row is found by a uid derived from its stable key and updated in place,
so loading twice leaves the same rows; people and their names go through people.services."""

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.demo import data
from cases.models import (
    Charge,
    CustodyPeriod,
    Detention,
    Hearing,
    LegalArticle,
    LegalCase,
    Sentence,
    Treatment,
)
from cases.services import legal_case_recompute
from core.models import Confidentiality
from core.roles import STAFF_ROLES
from core.services import audit_record
from events.models import Assembly, CauseTag, Incident, Place, Source
from people.models import ConsentRecord, ConsentScope, GroupTag, NameKind, Person, PersonName
from people.services import person_create, person_name_add, person_refresh_search_key

# Fixed forever: the uids of the demo rows (and so the partner API's identifiers) derive from it.
DEMO_NAMESPACE = uuid.UUID("4cbd7fb1-8e4a-4d33-ad68-f401d509c379")


class DemoError(ValidationError):
    """The demo data cannot be loaded: reference data or roles are missing."""


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    password: str
    is_staff: bool


@dataclass(frozen=True)
class DemoResult:
    counts: dict[str, int]  # model label ("cases.Detention") -> demo rows of that model
    users: tuple[DemoUser, ...]

    @property
    def summary(self) -> str:
        parts = []
        for label, count in self.counts.items():
            meta = apps.get_model(label)._meta
            parts.append(f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}")
        return "Demo data loaded: " + ", ".join(parts) + "."


def demo_uid(key: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, key)


class _Loader:
    def __init__(self):
        self.written: dict[type[models.Model], set[uuid.UUID]] = defaultdict(set)
        self._refs: dict[tuple[type[models.Model], str], models.Model] = {}
        self.people: dict[str, Person] = {}
        self.assemblies: dict[str, Assembly] = {}
        self.source: Source | None = None

    def ref(self, model, code: str):
        """Reference data is seeded by migrations; the demo never creates it."""
        if (model, code) not in self._refs:
            try:
                self._refs[model, code] = model.objects.get(code=code)
            except model.DoesNotExist:
                raise DemoError(
                    _("Reference data missing: %(model)s with code %(code)s. Run the migrations first.")
                    % {"model": model._meta.verbose_name, "code": code}
                ) from None
        return self._refs[model, code]

    def refs(self, model, codes) -> list:
        return [self.ref(model, code) for code in codes]

    def upsert(self, model, key: str, **fields):
        """update_or_create on the uid, with full_clean before saving (a typo in the data fails loudly)."""
        uid = demo_uid(key)
        obj = model.objects.filter(uid=uid).first() or model(uid=uid)
        _save_if_changed(obj, fields)
        self.written[model].add(uid)
        return obj

    def pin_uid(self, obj, key: str) -> None:
        """Give a row a service created (a name) its stable demo uid."""
        uid = demo_uid(key)
        if obj.uid != uid:
            obj.uid = uid
            obj.save(update_fields=["uid"])
        self.written[type(obj)].add(uid)


def _save_if_changed(obj: models.Model, fields: dict, *, exclude=()) -> None:
    """Save only what differs from the row: an unchanged row keeps its `updated_at`, so a partner pulling
    changes since its last sync is not sent the whole demo again after every reload."""
    changed = obj.pk is None
    for name, value in fields.items():
        field = obj._meta.get_field(name)
        current = getattr(obj, field.attname)
        wanted = value.pk if field.is_relation and value is not None else value
        if current != wanted:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.full_clean(exclude=list(exclude))
        obj.save()


def _local(parts: tuple[int, ...] | None) -> dt.datetime | None:
    if parts is None:
        return None
    return timezone.make_aware(dt.datetime(*parts), timezone.get_default_timezone())


def _load_source(loader: _Loader) -> None:
    spec = data.SOURCE
    loader.source = loader.upsert(
        Source,
        spec["key"],
        kind=spec["kind"],
        title=spec["title"],
        published_on=spec["published_on"],
        reliability=spec["reliability"],
        notes=spec["notes"],
        confidentiality=Confidentiality.PUBLIC,
    )


def _load_person(loader: _Loader, spec: dict) -> Person:
    uid = demo_uid(f"person/{spec['key']}")
    birth_date, precision, certainty = spec.get("birth", (None, "year", "exact"))
    home = spec.get("home_place")
    fields = {
        "confidentiality": Confidentiality.PUBLIC,
        "gender": spec.get("gender", "unknown"),
        "birth_date": birth_date,
        "birth_date_precision": precision,
        "birth_date_certainty": certainty,
        "home_place": loader.ref(Place, home) if home else None,
        "occupation": spec.get("occupation", ""),
        "notes": spec.get("notes", ""),
    }
    person = Person.objects.filter(uid=uid).first()
    if person is None:
        person = person_create(user=None, full_name=spec["full_name"], uid=uid, **fields)
    else:
        _save_if_changed(person, {"full_name": spec["full_name"], **fields}, exclude=["search_key"])
    loader.written[Person].add(uid)
    names = [(spec["full_name"], NameKind.OFFICIAL), *((alias, NameKind.ALIAS) for alias in spec["aliases"])]
    for text, kind in names:
        name = person_name_add(user=None, person=person, text=text, kind=kind, refresh=False)
        loader.pin_uid(name, f"person/{spec['key']}/name/{text}")
    person_refresh_search_key(person=person)
    person.groups.set(loader.refs(GroupTag, spec.get("groups", ())))
    if spec.get("consent"):
        loader.upsert(
            ConsentRecord,
            f"consent/{spec['key']}/partners",
            person=person,
            scope=ConsentScope.PARTNERS,
            given_on=data.CONSENT_GIVEN_ON,
            how_recorded=data.CONSENT_HOW_RECORDED,
            full_name_allowed=True,
            withdrawn_on=None,
        )
    return person


def _load_assemblies(loader: _Loader) -> None:
    for spec in data.ASSEMBLIES:
        assembly = loader.upsert(
            Assembly,
            spec["key"],
            title=spec["title"],
            kind=spec["kind"],
            starts_at=_local(spec["starts"]),
            starts_at_precision=data.DAY,
            ends_at=_local(spec.get("ends")),
            place=loader.ref(Place, spec["place"]),
            address=spec.get("address", ""),
            organisers=spec.get("organisers", ""),
            participants_low=spec.get("participants_low"),
            participants_high=spec.get("participants_high"),
            notification=spec.get("notification", "unknown"),
            outcome=spec.get("outcome", "unknown"),
            reported_detainees=spec.get("reported_detainees"),
            reported_detainees_note=spec.get("reported_detainees_note", ""),
            description=spec["description"],
            confidentiality=Confidentiality.PUBLIC,
        )
        assembly.causes.set(loader.refs(CauseTag, spec["causes"]))
        assembly.sources.set([loader.source])
        loader.assemblies[spec["key"]] = assembly


def _load_incidents(loader: _Loader) -> None:
    for spec in data.INCIDENTS:
        incident = loader.upsert(
            Incident,
            spec["key"],
            kind=spec["kind"],
            title=spec["title"],
            starts_on=spec["starts_on"],
            starts_on_precision=spec.get("precision", data.DAY),
            place=loader.ref(Place, spec["place"]) if spec.get("place") else None,
            assembly=loader.assemblies[spec["assembly"]] if spec.get("assembly") else None,
            description=spec["description"],
            confidentiality=Confidentiality.PUBLIC,
        )
        incident.sources.set([loader.source])


def _load_detentions(loader: _Loader) -> None:
    for spec in data.DETENTIONS:
        detention = loader.upsert(
            Detention,
            spec["key"],
            person=loader.people[spec["person"]],
            assembly=loader.assemblies[spec["assembly"]] if spec.get("assembly") else None,
            detained_at=_local(spec["detained"]),
            detained_at_precision=spec.get("precision", data.DAY),
            detained_at_certainty=spec.get("certainty", "exact"),
            released_at=_local(spec.get("released")),
            place=loader.ref(Place, spec["place"]),
            authority=spec.get("authority", "police"),
            held_at=spec.get("held_at", ""),
            procedural_status=spec.get("procedural_status", "unknown"),
            detention_type=data.DETENTION_TYPE,
            outcome=spec.get("outcome", "unknown"),
            verification=spec.get("verification", "verified"),
            notes=spec["notes"],
            confidentiality=Confidentiality.PARTNERS,
        )
        detention.treatment.set(loader.refs(Treatment, spec.get("treatment", ())))
        detention.sources.set([loader.source])
        for number, (kind, facility, place, day) in enumerate(spec.get("custody", ()), start=1):
            loader.upsert(
                CustodyPeriod,
                f"{spec['key']}/custody/{number}",
                detention=detention,
                kind=kind,
                facility=facility,
                place=loader.ref(Place, place),
                started_on=day,
                ended_on=day,
            )


def _load_legal_cases(loader: _Loader) -> None:
    defaults = data.CASE_DEFAULTS
    for spec in data.LEGAL_CASES:
        legal_case = loader.upsert(
            LegalCase,
            spec["key"],
            person=loader.people[spec["person"]],
            kind=defaults["kind"],
            court=spec.get("court", ""),
            status=defaults["status"],
            notes=spec["notes"],
            confidentiality=Confidentiality.PUBLIC,
        )
        legal_case.sources.set([loader.source])
        loader.upsert(
            Charge,
            f"{spec['key']}/charge/1",
            legal_case=legal_case,
            article=loader.ref(LegalArticle, defaults["article"]),
            status=defaults["charge_status"],
        )
        sentence = spec["sentence"]
        loader.upsert(
            Sentence,
            f"{spec['key']}/sentence/1",
            legal_case=legal_case,
            court=sentence.get("court", ""),
            decided_on=sentence["decided_on"],
            decided_on_precision=sentence["precision"],
            kind=sentence["kind"],
            term_years=sentence["years"],
            starts_on=sentence.get("starts_on"),
            status=defaults["sentence_status"],
        )
        for index, hearing in enumerate(spec.get("hearings", ()), start=1):
            # The report gives the day only: stored at 12:00 local with day precision, as the other dates.
            day = hearing["held_on"]
            held_at = _local((day.year, day.month, day.day, 12, 0))
            row = loader.upsert(
                Hearing,
                f"{spec['key']}/hearing/{index}",
                legal_case=legal_case,
                held_at=held_at,
                held_at_precision=data.DAY,
                kind=hearing["kind"],
                court=hearing["court"],
                outcome=hearing["outcome"],
            )
            row.sources.set([loader.source])
        legal_case_recompute(legal_case=legal_case)


def _load_users(password: str) -> tuple[DemoUser, ...]:
    user_model = get_user_model()
    hashed = make_password(password)  # one hash for the five: the same password, a fifth of the work
    users = []
    for username, role in data.USERS:
        group = Group.objects.filter(name=role).first()
        if group is None:
            raise DemoError(_("Role %(role)s is missing. Run the migrations first.") % {"role": role})
        user = user_model.objects.filter(username=username).first() or user_model(username=username)
        user.is_staff = role in STAFF_ROLES
        user.is_superuser = False
        user.is_active = True
        user.first_name, user.last_name = "Demo", str(role)
        user.password = hashed
        user.save()
        user.groups.set([group])
        user.user_permissions.clear()
        users.append(DemoUser(username=username, role=str(role), password=password, is_staff=user.is_staff))
    return tuple(users)


@transaction.atomic
def demo_load(*, password: str) -> DemoResult:
    """Create or reset the demo data of the February 2019 report and the five demo users.

    Guarantees: every row is keyed by a uid derived from DEMO_NAMESPACE, so a second run changes no counts
    and no uids; demo users get exactly their role and the given password. Writes nothing and raises
    DemoError (a ValidationError) when reference data or roles are missing, ValidationError when the
    password is rejected by the password validators.
    """
    password_validation.validate_password(password)
    loader = _Loader()
    _load_source(loader)
    loader.people = {spec["key"]: _load_person(loader, spec) for spec in data.PEOPLE}
    _load_assemblies(loader)
    _load_incidents(loader)
    _load_detentions(loader)
    _load_legal_cases(loader)
    users = _load_users(password)
    order = (Person, PersonName, ConsentRecord, Source, Assembly, Incident, Detention, CustodyPeriod)
    order += (LegalCase, Charge, Sentence, Hearing)
    counts = {model._meta.label: len(loader.written[model]) for model in order}
    counts[get_user_model()._meta.label] = len(users)
    audit_record(actor=None, action="kuzet.demo.loaded", data={"counts": counts})
    return DemoResult(counts=counts, users=users)
