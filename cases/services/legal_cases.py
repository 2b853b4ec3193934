"""Opening and changing legal cases with their charges and sentences, validated as the admin does."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Charge, Detention, LegalCase, Sentence
from cases.services._fields import assign, creator
from cases.services.sentences import legal_case_recompute
from core.models import ChildRecord
from core.services import audit_record, record_links_set, record_soft_delete
from core.versioning import version_check, version_next
from people.models import Person


def _children_sync(*, user, legal_case: LegalCase, model: type[ChildRecord], rows: Iterable[dict]) -> bool:
    """Make the live charges (or sentences) of a case exactly `rows`: a row with the `uid` of a live child
    updates it, a row without one adds a child, a live child not listed is soft-deleted (restorable in the
    admin). Each row passes the model's validation. Returns whether anything changed."""
    label = model._meta.verbose_name_plural
    rows_now = model.objects.live().select_for_update().filter(legal_case=legal_case)
    live = {child.uid: child for child in rows_now}
    kept, changed = set(), False
    for index, row in enumerate(rows):
        row = dict(row)
        uid = row.pop("uid", None)
        if uid is None:
            child = model(legal_case=legal_case, created_by=creator(user), **row)
        elif uid in live and uid not in kept:
            child = live[uid]
            if not assign(child, row):
                kept.add(uid)
                continue
            version_next(child)  # locked above
        else:
            raise ValidationError(
                {
                    str(label): [
                        _("Row %(index)s: no such %(kind)s in this case.")
                        % {"index": index, "kind": model._meta.verbose_name}
                    ]
                }
            )
        try:
            child.full_clean()
        except ValidationError as exc:
            raise ValidationError({str(label): [f"{index}: {m}" for m in exc.messages]}) from exc
        child.save()
        kept.add(child.uid)
        changed = True
        audit_record(
            actor=user, action=f"kuzet.{model._meta.model_name}.{'updated' if uid else 'created'}", obj=child
        )
    for uid, child in live.items():
        if uid not in kept:
            record_soft_delete(record=child, user=user)
            changed = True
    return changed


@transaction.atomic
def legal_case_create(
    *,
    user,
    person: Person,
    charges: Iterable[dict] = (),
    sentences: Iterable[dict] = (),
    detentions: Iterable[Detention] = (),
    sources: Iterable = (),
    **fields,
) -> LegalCase:
    """Open a legal case with its charges and sentences (each a dict of model fields), the detentions it
    grew from and its sources; every sentence's credit, end and appeal deadline are computed.
    Applies the model's validation to the case and to every row, as the admin does.
    Raises ValidationError and writes nothing when anything is invalid."""
    legal_case = LegalCase(person=person, created_by=creator(user), **fields)
    legal_case.full_clean()
    legal_case.save()
    legal_case.detentions.set(detentions)
    legal_case.sources.set(sources)
    _children_sync(user=user, legal_case=legal_case, model=Charge, rows=charges)
    _children_sync(user=user, legal_case=legal_case, model=Sentence, rows=sentences)
    legal_case_recompute(legal_case=legal_case)
    audit_record(actor=user, action="kuzet.legalcase.created", obj=legal_case)
    return legal_case


@transaction.atomic
def legal_case_update(
    *,
    user,
    legal_case: LegalCase,
    charges: Iterable[dict] | None = None,
    sentences: Iterable[dict] | None = None,
    detentions: Iterable[Detention] | None = None,
    sources: Iterable | None = None,
    lock_version: int | None = None,
    **fields,
) -> LegalCase:
    """Change the given fields of a case. `charges` and `sentences`, when given, are the complete live lists
    (see `_children_sync`); `detentions` and `sources` replace the links (links the user may not see are
    kept). Sentences are recomputed. `lock_version` is the version the editor started from (default: the one
    `legal_case` was loaded at); a save moves it to the next one, also when only its charges or sentences
    changed. Raises EditConflict (core.versioning) when the case was saved since, ValidationError when
    anything is invalid; nothing is written then."""
    links = {"detentions": detentions, "sources": sources}
    values = {**fields, **{name: rows for name, rows in links.items() if rows is not None}}
    version_check(record=legal_case, expected=lock_version, values=values, user=user)
    changed = assign(legal_case, fields)
    legal_case.full_clean()
    if detentions is not None and record_links_set(
        record=legal_case, field="detentions", values=detentions, user=user
    ):
        changed.append("detentions")
    if sources is not None and record_links_set(
        record=legal_case, field="sources", values=sources, user=user
    ):
        changed.append("sources")
    for name, model, rows in (("charges", Charge, charges), ("sentences", Sentence, sentences)):
        if rows is not None and _children_sync(user=user, legal_case=legal_case, model=model, rows=rows):
            changed.append(name)
    if changed:
        legal_case.save(
            update_fields=[*(n for n in changed if n in fields), "updated_at", version_next(legal_case)]
        )
        legal_case_recompute(legal_case=legal_case)
        audit_record(actor=user, action="kuzet.legalcase.updated", obj=legal_case, data={"fields": changed})
    return legal_case
