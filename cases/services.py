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
from core.models import ChildRecord
from core.services import audit_record, record_links_set, record_soft_delete
from people.models import Person
from people.services import person_create


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
