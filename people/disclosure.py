"""Whose identity may leave the system, and what stands in for it when it may not.

A person's identity (name, every spelling of it, birth date, contact details, free-text notes, occupation)
leaves the system — the partner API, reports for UN, OSCE or EU bodies — only with an active ConsentRecord
for that scope. Otherwise the person appears under a stable pseudonym, and every count they are part of
stays correct. Staff inside the system always see the identity.

The API, the delta feed and the reports use these functions; none of them decides on its own.
"""

from django.db.models import Exists, OuterRef, QuerySet

from core import roles
from people.models import ConsentRecord, ConsentScope, Person

DEFAULT_SCOPE = ConsentScope.PARTNERS


def _active_consents(person: Person, scope: str) -> list[ConsentRecord]:
    # Reads the prefetched consents when the selector loaded them (no query per row), else queries once.
    return [c for c in person.consents.all() if c.scope == scope and c.is_active]


def identity_disclosed(person: Person, *, user=None, scope: str = DEFAULT_SCOPE) -> bool:
    """True when `person`'s identity may be shown to `user` for `scope`.

    Staff (monitors, lawyers, analysts, administrators) always see it. Anyone else — a partner key, a report
    for an outside body (pass `user=None`) — only when the person has an active consent for `scope`: not
    withdrawn and not deleted. A consent for another scope does not count (consent to the UN is not consent
    to partners)."""
    if user is not None and roles.is_case_staff(user):
        return True
    return bool(_active_consents(person, scope))


def full_name_allowed(person: Person, *, user=None, scope: str = DEFAULT_SCOPE) -> bool:
    """Disclosed, and with a consent that allows the full name (not only initials)."""
    if user is not None and roles.is_case_staff(user):
        return True
    return any(c.full_name_allowed for c in _active_consents(person, scope))


def pseudonym(person: Person) -> str:
    """A stable stand-in built from the internal id: the same person is always the same pseudonym, in the
    API, the feed and every report, so partners can follow one person without knowing who it is."""
    return f"Person K-{person.pk:05d}"


def initials(full_name: str) -> str:
    """ "Жумагулов Болат" → "Ж. Б." — what a consent without the full name allows."""
    return " ".join(f"{word[0]}." for word in full_name.split() if word[:1].isalpha())


def display_name(person: Person, *, user=None, scope: str = DEFAULT_SCOPE) -> str:
    """The name to show `user`: the full name, the initials when the consent allows only those, or the
    pseudonym."""
    if not identity_disclosed(person, user=user, scope=scope):
        return pseudonym(person)
    if not full_name_allowed(person, user=user, scope=scope):
        return initials(person.full_name) or pseudonym(person)
    return person.full_name


def disclosed_people(
    queryset: QuerySet[Person], *, user=None, scope: str = DEFAULT_SCOPE, full_name: bool = False
) -> QuerySet[Person]:
    """The people of `queryset` whose identity `user` may see (with `full_name`, whose full name too).
    Searching by name must go through this with `full_name=True`: a name search that found a pseudonymised
    person would tell who hides behind the pseudonym, or the initials."""
    if user is not None and roles.is_case_staff(user):
        return queryset
    active = ConsentRecord.objects.filter(
        person=OuterRef("pk"), scope=scope, withdrawn_on__isnull=True, is_deleted=False
    )
    if full_name:
        active = active.filter(full_name_allowed=True)
    return queryset.filter(Exists(active))
