"""Merging two records of one person (a duplicate a monitor confirmed) into one, losing nothing."""

from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Detention, LegalCase
from cases.services.sentences import legal_case_recompute
from core.models import Confidentiality
from core.services import audit_record, record_soft_delete
from core.versioning import version_next
from people.models import ConsentRecord, Gender, NameKind, Person, PersonName
from people.services import PersonError, person_name_add, person_refresh_search_key

_STRICTNESS = list(Confidentiality.values)  # least to most confidential (core.models.Confidentiality)


class PersonMergeError(PersonError):
    """A merge that may not be done; the message says why and nothing was written."""


def _merge_check(*, user, keep: Person, merge: Person) -> tuple[Person, Person]:
    """The two people as stored now, locked for the merge, or PersonMergeError."""
    if keep.pk == merge.pk:
        raise PersonMergeError(_("A person cannot be merged with themselves."))
    if not user.has_perm("people.change_person"):
        raise PersonMergeError(_("You may not change people, so you may not merge them."))
    rows = (
        Person.objects.visible_to(user, include_deleted=True)
        .select_for_update()
        .filter(pk__in=[keep.pk, merge.pk])
    )
    found = {person.pk: person for person in rows}
    if len(found) != 2:
        raise PersonMergeError(_("One of the two people was not found."))
    keep, merge = found[keep.pk], found[merge.pk]
    if keep.is_deleted or merge.is_deleted:
        raise PersonMergeError(_("A deleted person cannot be merged; restore them first."))
    return keep, merge


def _merge_fields(*, keep: Person, merge: Person) -> list[str]:
    """Fill what keep lacks from merge; keep the stricter confidentiality. The names of the fields set."""
    changed = []
    if keep.birth_date is None and merge.birth_date is not None:
        keep.birth_date = merge.birth_date
        keep.birth_date_precision = merge.birth_date_precision
        keep.birth_date_certainty = merge.birth_date_certainty
        changed += ["birth_date", "birth_date_precision", "birth_date_certainty"]
    if keep.gender == Gender.UNKNOWN and merge.gender != Gender.UNKNOWN:
        keep.gender = merge.gender
        changed.append("gender")
    for field in ("occupation", "home_place", "contact_details", "home_address"):
        if not getattr(keep, field) and getattr(merge, field):
            setattr(keep, field, getattr(merge, field))
            changed.append(field)
    header = _("Merged from %(name)s (%(uid)s):") % {"name": merge.full_name, "uid": merge.uid}
    for field in ("notes", "private_notes"):
        theirs = getattr(merge, field).strip()
        if theirs:
            ours = getattr(keep, field).rstrip()
            setattr(keep, field, "\n\n".join(part for part in (ours, f"{header}\n{theirs}") if part))
            changed.append(field)
    if _STRICTNESS.index(merge.confidentiality) > _STRICTNESS.index(keep.confidentiality):
        keep.confidentiality = merge.confidentiality
        changed.append("confidentiality")
    return changed


@transaction.atomic
def person_merge(*, user, keep: Person, merge: Person) -> Person:
    """Fold `merge` into `keep`: two records found to be one person become one, and nothing is lost.

    Every detention, legal case (with its charges and sentences), consent and name of `merge` moves to
    `keep`; a name `keep` already has is soft-deleted on `merge` instead of duplicated; `merge`'s full name
    stays a name (alias) of `keep`. Groups and `shared_with` are united, the stricter confidentiality wins,
    empty fields of `keep` are filled from `merge` and its notes appended under a header naming it. Then
    `merge` is soft-deleted with a note naming `keep` (restorable, its own fields intact), `keep`'s search key
    refreshed, the sentences of the moved cases recomputed, and `kuzet.person.merged` audited with the counts.

    Each moved row is saved on its own (no `QuerySet.update`), so the delta feed's signals log every moved
    detention, legal case and person. Rows the user cannot see (another monitor's restricted detention of
    `merge`) move too: leaving them on a deleted person would lose them; their own confidentiality stands.

    Raises PersonMergeError (nothing written) for a person merged with themselves, a person the user may not
    see or is deleted, or a user without `people.change_person`; ValidationError if `keep` ends up invalid.
    """
    keep, merge = _merge_check(user=user, keep=keep, merge=merge)
    counts = {"detentions": 0, "legal_cases": 0, "consents": 0, "names_moved": 0, "names_dropped": 0}

    # Every moved row is locked and moves to its next edit version: an editor who opened it before the
    # merge is refused (core.versioning) instead of moving it back to the merged person.
    for detention in Detention.objects.select_for_update().filter(person=merge).order_by("pk"):
        detention.person = keep
        detention.save(update_fields=["person", "updated_at", version_next(detention)])
        counts["detentions"] += 1
    moved_cases = list(LegalCase.objects.select_for_update().filter(person=merge).order_by("pk"))
    for legal_case in moved_cases:
        legal_case.person = keep
        legal_case.save(update_fields=["person", "updated_at", version_next(legal_case)])
        counts["legal_cases"] += 1
    for consent in ConsentRecord.objects.select_for_update().filter(person=merge).order_by("pk"):
        consent.person = keep
        consent.save(update_fields=["person", "updated_at", version_next(consent)])
        counts["consents"] += 1

    known = set(keep.names.filter(is_deleted=False).values_list("text", flat=True))
    for name in PersonName.objects.select_for_update().filter(person=merge).order_by("pk"):
        if not name.is_deleted and name.text in known:
            record_soft_delete(record=name, user=user)
            counts["names_dropped"] += 1
            continue
        name.person = keep
        fields = ["person", "updated_at", version_next(name)]
        if name.kind == NameKind.OFFICIAL:  # keep has its own official name
            name.kind = NameKind.ALIAS
            fields.append("kind")
        name.save(update_fields=fields)
        counts["names_moved"] += 1
        if not name.is_deleted:
            known.add(name.text)
    if merge.full_name not in known:
        person_name_add(user=user, person=keep, text=merge.full_name, kind=NameKind.ALIAS, refresh=False)

    groups_added = set(merge.groups.values_list("pk", flat=True)) - set(
        keep.groups.values_list("pk", flat=True)
    )
    if groups_added:
        keep.groups.add(*groups_added)
    shared_added = set(merge.shared_with.values_list("pk", flat=True)) - set(
        keep.shared_with.values_list("pk", flat=True)
    )
    if shared_added:
        keep.shared_with.add(*shared_added)

    changed = _merge_fields(keep=keep, merge=merge)
    keep.full_clean(exclude=["search_key"])
    keep.save(update_fields=[*changed, "updated_at", version_next(keep)])

    pointer = _("Merged into %(name)s (%(uid)s).") % {"name": keep.full_name, "uid": keep.uid}
    merge.notes = "\n\n".join(part for part in (merge.notes.rstrip(), pointer) if part)
    merge.save(update_fields=["notes", "updated_at", version_next(merge)])
    record_soft_delete(record=merge, user=user)

    person_refresh_search_key(person=keep)
    for legal_case in moved_cases:
        legal_case_recompute(legal_case=legal_case)
    audit_record(
        actor=user,
        action="kuzet.person.merged",
        obj=keep,
        data={
            "keep": str(keep.uid),
            "merge": str(merge.uid),
            "merge_full_name": merge.full_name,
            **counts,
            "groups_added": len(groups_added),
            "shared_with_added": len(shared_added),
            "fields_filled": sorted(changed),
        },
    )
    return keep
