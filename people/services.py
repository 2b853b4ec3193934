"""Writes to people: creating a person with their names keeps the search key current in the same
transaction, so a person is findable under every spelling from the moment they are saved."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import audit_record
from people import names
from people.models import NameKind, Person, PersonName


class PersonError(ValidationError):
    """A domain error with a message a monitor can read."""


def _clean_name(text: str) -> str:
    return " ".join((text or "").split())


@transaction.atomic
def person_create(
    *,
    user,
    full_name: str,
    aliases: Iterable[str] = (),
    **fields,
) -> Person:
    """Create a person, their official name and any aliases; the search key covers all of them.

    Raises PersonError when the name is empty.
    """
    full_name = _clean_name(full_name)
    if not full_name:
        raise PersonError(_("A person needs at least a name."))
    person = Person(
        full_name=full_name, created_by=user if user and user.is_authenticated else None, **fields
    )
    person.full_clean(exclude=["search_key"])
    person.save()
    person_name_add(user=user, person=person, text=full_name, kind=NameKind.OFFICIAL, refresh=False)
    for alias in aliases:
        person_name_add(user=user, person=person, text=alias, kind=NameKind.ALIAS, refresh=False)
    person_refresh_search_key(person=person)
    audit_record(actor=user, action="kuzet.person.created", obj=person, data={"full_name": full_name})
    return person


@transaction.atomic
def person_name_add(
    *, user, person: Person, text: str, kind: str = NameKind.ALIAS, refresh: bool = True
) -> PersonName:
    """Record one more spelling of a person's name; a spelling already recorded is returned as it is."""
    text = _clean_name(text)
    if not text:
        raise PersonError(_("A name cannot be empty."))
    existing = person.names.filter(text=text, is_deleted=False).first()
    if existing:
        return existing
    name = PersonName(
        person=person,
        text=text,
        kind=kind,
        script=names.script_of(text),
        key=names.skeleton(text),
        created_by=user if user and user.is_authenticated else None,
    )
    name.full_clean(exclude=["person"])
    name.save()
    if refresh:
        person_refresh_search_key(person=person)
    return name


def person_refresh_search_key(*, person: Person) -> Person:
    """Recompute the skeleton keys of every live name (and the full name as entered) into `search_key`.

    Called after any change to a person's names; cheap enough to run on every save.
    """
    live_names = list(person.names.filter(is_deleted=False).only("pk", "text", "key", "script"))
    for name in live_names:
        key, script = names.skeleton(name.text), names.script_of(name.text)
        if (name.key, name.script or script) != (key, script):
            name.key, name.script = key, name.script or script
            name.save(update_fields=["key", "script"])
    key = names.search_key([person.full_name, *(name.text for name in live_names)])
    if key != person.search_key:
        person.search_key = key
        Person.objects.filter(pk=person.pk).update(search_key=key)
    return person


@transaction.atomic
def person_names_sync(*, user, person: Person) -> Person:
    """After a person was saved with edited names (the admin's inline rows): make sure the full name is one
    of the names, then refresh every key. Guarantees the person is findable under what was just typed."""
    if not person.names.filter(text=person.full_name, is_deleted=False).exists():
        person_name_add(
            user=user, person=person, text=person.full_name, kind=NameKind.OFFICIAL, refresh=False
        )
    return person_refresh_search_key(person=person)
