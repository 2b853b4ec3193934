"""Writes to cases that touch more than one row: recording detainees, and keeping every sentence's computed
dates (custody credit, end, appeal deadline) true whenever the sentence or the custody behind it changes."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import AppealTerm, Charge, CustodyCredit, Detention, LegalCase, Sentence
from cases.selectors import legal_case_custody_intervals
from cases.terms import credit_days, merged_days, term_end
from core.dates import DatePrecision
from core.models import ChildRecord, Confidentiality
from core.services import audit_record, record_links_set, record_soft_delete
from people.models import ConsentRecord, Gender, NameKind, Person, PersonName
from people.services import PersonError, person_create, person_name_add, person_refresh_search_key


@transaction.atomic
def detention_record(*, user, person: Person | None = None, new_person_name: str = "", **fields) -> Detention:
    """Record one detention of an existing person or of a new person known only by name.

    Raises django.core.exceptions.ValidationError (a PersonError for a missing name) and writes nothing.
    """
    if person is None:
        person = person_create(user=user, full_name=new_person_name)
    treatment = fields.pop("treatment", ())
    sources = fields.pop("sources", ())
    detention = Detention(person=person, created_by=user if user.is_authenticated else None, **fields)
    detention.full_clean()
    detention.save()
    detention.treatment.set(treatment)
    detention.sources.set(sources)
    audit_record(actor=user, action="kuzet.detention.created", obj=detention)
    return detention


def sentence_recompute(*, sentence: Sentence, today: dt.date | None = None) -> Sentence:
    """Recompute a sentence's custody credit, end date and appeal deadline from the current data.

    Credit = days in custody (over the case's detentions, before the sentence starts) × the credit rate
    for the sentence kind. A lawyer's `ends_on_override` is kept as it is; the computed date stays beside it.
    """
    legal_case = sentence.legal_case
    rate = CustodyCredit.objects.filter(sentence_kind=sentence.kind).values_list(
        "days_per_custody_day", flat=True
    )
    credit = 0
    if rate and rate[0] and sentence.starts_on and sentence.has_term:
        days = merged_days(
            legal_case_custody_intervals(legal_case),
            today=today or timezone.localdate(),
            before=sentence.starts_on,
        )
        credit = credit_days(days, rate[0])
    ends_on = None
    if sentence.starts_on and sentence.has_term:
        ends_on = term_end(
            sentence.starts_on,
            years=sentence.term_years,
            months=sentence.term_months,
            days=sentence.term_days,
            credit=credit,
        )
    term = AppealTerm.objects.filter(case_kind=legal_case.kind).values_list("days", flat=True)
    # A decision known only by month or year has no computable deadline; an invented one would mislead.
    exact_decision = sentence.decided_on and sentence.decided_on_precision in (
        DatePrecision.DAY,
        DatePrecision.TIME,
    )
    deadline = sentence.decided_on + dt.timedelta(days=term[0]) if term and exact_decision else None
    changed = (sentence.custody_credit_days, sentence.ends_on, sentence.appeal_deadline) != (
        credit,
        ends_on,
        deadline,
    )
    sentence.custody_credit_days, sentence.ends_on, sentence.appeal_deadline = credit, ends_on, deadline
    if changed and sentence.pk:
        sentence.save(update_fields=["custody_credit_days", "ends_on", "appeal_deadline", "updated_at"])
    return sentence


@transaction.atomic
def legal_case_recompute(*, legal_case: LegalCase) -> None:
    """Recompute every live sentence of a case (after its sentences or its detentions changed)."""
    for sentence in legal_case.sentences.filter(is_deleted=False):
        sentence_recompute(sentence=sentence)


@transaction.atomic
def detention_custody_changed(*, detention: Detention) -> None:
    """Custody of a detention changed: the sentences of every case it led to are recomputed."""
    for legal_case in LegalCase.objects.filter(detentions=detention, is_deleted=False):
        legal_case_recompute(legal_case=legal_case)


def _creator(user):
    return user if getattr(user, "is_authenticated", False) else None


def _assign(record, fields: dict) -> list[str]:
    """Set the fields that differ; the names of those that changed."""
    changed = sorted(name for name, value in fields.items() if getattr(record, name) != value)
    for name in changed:
        setattr(record, name, fields[name])
    return changed


@transaction.atomic
def detention_update(
    *,
    user,
    detention: Detention,
    treatment: Iterable | None = None,
    sources: Iterable | None = None,
    **fields,
) -> Detention:
    """Change the given fields of a detention; `treatment` and `sources`, when given, replace the links
    (links to sources the user may not see are kept). Applies the model's validation (`full_clean`: a
    release before the detention is refused), as the admin does, and recomputes the sentences of every case
    the detention led to, since its custody may have changed.
    Raises ValidationError and writes nothing when a field is invalid."""
    changed = _assign(detention, fields)
    detention.full_clean()
    if treatment is not None and set(treatment) != set(detention.treatment.all()):
        detention.treatment.set(treatment)
        changed.append("treatment")
    if sources is not None and record_links_set(record=detention, field="sources", values=sources, user=user):
        changed.append("sources")
    if changed:
        detention.save(
            update_fields=[n for n in (*changed, "updated_at") if n not in ("treatment", "sources")]
        )
        detention_custody_changed(detention=detention)
        audit_record(actor=user, action="kuzet.detention.updated", obj=detention, data={"fields": changed})
    return detention


def _children_sync(*, user, legal_case: LegalCase, model: type[ChildRecord], rows: Iterable[dict]) -> bool:
    """Make the live charges (or sentences) of a case exactly `rows`: a row with the `uid` of a live child
    updates it, a row without one adds a child, a live child not listed is soft-deleted (restorable in the
    admin). Each row passes the model's validation. Returns whether anything changed."""
    label = model._meta.verbose_name_plural
    live = {child.uid: child for child in model.objects.live().filter(legal_case=legal_case)}
    kept, changed = set(), False
    for index, row in enumerate(rows):
        row = dict(row)
        uid = row.pop("uid", None)
        if uid is None:
            child = model(legal_case=legal_case, created_by=_creator(user), **row)
        elif uid in live and uid not in kept:
            child = live[uid]
            if not _assign(child, row):
                kept.add(uid)
                continue
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
    legal_case = LegalCase(person=person, created_by=_creator(user), **fields)
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
    **fields,
) -> LegalCase:
    """Change the given fields of a case. `charges` and `sentences`, when given, are the complete live lists
    (see `_children_sync`); `detentions` and `sources` replace the links (links the user may not see are
    kept). Sentences are recomputed. Raises ValidationError and writes nothing when anything is invalid."""
    changed = _assign(legal_case, fields)
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
            update_fields=[n for n in (*changed, "updated_at") if n in fields or n == "updated_at"]
        )
        legal_case_recompute(legal_case=legal_case)
        audit_record(actor=user, action="kuzet.legalcase.updated", obj=legal_case, data={"fields": changed})
    return legal_case


# --- Merging two records of one person (issue 5, item 5) -------------------------------------------------

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
    for field in ("occupation", "home_place", "contact_details"):
        if not getattr(keep, field) and getattr(merge, field):
            setattr(keep, field, getattr(merge, field))
            changed.append(field)
    if merge.notes.strip():
        header = _("Merged from %(name)s (%(uid)s):") % {"name": merge.full_name, "uid": merge.uid}
        keep.notes = "\n\n".join(
            part for part in (keep.notes.rstrip(), f"{header}\n{merge.notes.strip()}") if part
        )
        changed.append("notes")
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

    for detention in Detention.objects.filter(person=merge).order_by("pk"):
        detention.person = keep
        detention.save(update_fields=["person", "updated_at"])
        counts["detentions"] += 1
    moved_cases = list(LegalCase.objects.filter(person=merge).order_by("pk"))
    for legal_case in moved_cases:
        legal_case.person = keep
        legal_case.save(update_fields=["person", "updated_at"])
        counts["legal_cases"] += 1
    for consent in ConsentRecord.objects.filter(person=merge).order_by("pk"):
        consent.person = keep
        consent.save(update_fields=["person", "updated_at"])
        counts["consents"] += 1

    known = set(keep.names.filter(is_deleted=False).values_list("text", flat=True))
    for name in PersonName.objects.filter(person=merge).order_by("pk"):
        if not name.is_deleted and name.text in known:
            record_soft_delete(record=name, user=user)
            counts["names_dropped"] += 1
            continue
        name.person = keep
        fields = ["person", "updated_at"]
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
    keep.save(update_fields=[*changed, "updated_at"])

    pointer = _("Merged into %(name)s (%(uid)s).") % {"name": keep.full_name, "uid": keep.uid}
    merge.notes = "\n\n".join(part for part in (merge.notes.rstrip(), pointer) if part)
    merge.save(update_fields=["notes", "updated_at"])
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


# --- Fast entry of detentions at an assembly (issue 5, item 4) --------------------------------------------


class AssemblyRowError(ValidationError):
    """One row of a fast entry is invalid; `index` is its position (0-based) and nothing was written."""

    def __init__(self, error: ValidationError, *, index: int):
        super().__init__(error.messages)
        self.index = index


@transaction.atomic
def assembly_detentions_record(*, user, assembly, rows: list[dict]) -> list[Detention]:
    """Record one detention at `assembly` per row, all or none.

    Each row holds `person` (an existing Person) or `new_person_name` (a person created by that name, with
    its search keys), and Detention fields (`detained_at`, `detained_at_precision`, `held_at`,
    `procedural_status`, `outcome` …); the assembly and its place are set here. Every detention is audited
    by detention_record, the batch as `kuzet.assembly.detentions_recorded`.

    Raises AssemblyRowError (a ValidationError naming the row) and writes nothing when any row is invalid.
    """
    detentions = []
    for index, row in enumerate(rows):
        fields = {"place": assembly.place, **row, "assembly": assembly}
        try:
            detentions.append(detention_record(user=user, **fields))
        except ValidationError as error:
            raise AssemblyRowError(error, index=index) from error
    if detentions:
        audit_record(
            actor=user,
            action="kuzet.assembly.detentions_recorded",
            obj=assembly,
            data={"detentions": [str(d.uid) for d in detentions]},
        )
    return detentions
