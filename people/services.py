"""Writes to people: creating a person with their names keeps the search key current in the same
transaction, so a person is findable under every spelling from the moment they are saved."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import audit_record
from core.versioning import version_check, version_next
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
    groups: Iterable = (),
    **fields,
) -> Person:
    """Create a person, their official name and any aliases; the search key covers all of them.

    Raises PersonError when the name is empty, ValidationError when a field is invalid (the model's own
    validation, as in the admin); nothing is written then.
    """
    full_name = _clean_name(full_name)
    if not full_name:
        raise PersonError(_("A person needs at least a name."))
    person = Person(
        full_name=full_name, created_by=user if user and user.is_authenticated else None, **fields
    )
    person.full_clean(exclude=["search_key"])
    person.save()
    person.groups.set(groups)
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
            # Derived from the text, whose every version is in the name's history; and the row was loaded
            # with .only(), which a history copy would read back field by field.
            name.skip_history_when_saving = True
            name.save(update_fields=["key", "script"])
            del name.skip_history_when_saving
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


@transaction.atomic
def person_update(
    *,
    user,
    person: Person,
    aliases: Iterable[str] = (),
    groups: Iterable | None = None,
    lock_version: int | None = None,
    **fields,
) -> Person:
    """Change the given fields of a person, add spellings (`aliases`), and set the groups when given.

    A new full name becomes one more recorded name: the old spelling stays a name of the person (every
    spelling is a name; removing one is done on the person's page). The search key is refreshed in the same
    transaction. Applies the model's validation (`full_clean`), exactly what the admin applies.
    `lock_version` is the version the editor started from (default: the one `person` was loaded at); a save
    moves it to the next one. Raises EditConflict (core.versioning) when the person was saved since,
    PersonError for an empty name, ValidationError for an invalid field; nothing is written then.
    """
    values = {**fields, **({"groups": groups} if groups is not None else {})}
    version_check(record=person, expected=lock_version, values=values, user=user)
    if "full_name" in fields:
        fields["full_name"] = _clean_name(fields["full_name"])
        if not fields["full_name"]:
            raise PersonError({"full_name": [_("A person needs at least a name.")]})
    changed = sorted(name for name, value in fields.items() if getattr(person, name) != value)
    for name in changed:
        setattr(person, name, fields[name])
    person.full_clean(exclude=["search_key"])
    aliases = [alias for alias in (_clean_name(a) for a in aliases) if alias]
    if groups is not None and set(groups) != set(person.groups.all()):
        person.groups.set(groups)
        changed.append("groups")
    known = set(person.names.filter(is_deleted=False).values_list("text", flat=True))
    for alias in aliases:
        if alias not in known:
            person_name_add(user=user, person=person, text=alias, kind=NameKind.ALIAS, refresh=False)
            changed.append("aliases")
    if changed:
        # updated_at moves for a change of names or groups too: `updated_since` and the delta feed see it.
        person.save(
            update_fields=[
                *(n for n in changed if n not in ("groups", "aliases")),
                "updated_at",
                version_next(person),
            ]
        )
        person_names_sync(user=user, person=person)
        # Only field names: the values may be contact details, which the audit trail must not hold in clear.
        audit_record(
            actor=user, action="kuzet.person.updated", obj=person, data={"fields": sorted(set(changed))}
        )
    return person
