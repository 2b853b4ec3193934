"""Keeping every sentence's computed dates (custody credit, end, appeal deadline) true whenever the sentence
or the custody behind it changes."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.models import AppealTerm, CustodyCredit, Detention, LegalCase, Sentence
from cases.selectors import legal_case_custody_intervals
from cases.terms import credit_days, merged_days, term_end
from core.dates import DatePrecision
from core.versioning import version_next


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
        fields = ["custody_credit_days", "ends_on", "appeal_deadline", "updated_at", version_next(sentence)]
        sentence.save(update_fields=fields)
    return sentence


@transaction.atomic
def legal_case_recompute(*, legal_case: LegalCase) -> None:
    """Recompute every live sentence of a case (after its sentences or its detentions changed). The rows are
    locked first: a recomputed sentence moves to its next edit version."""
    for sentence in legal_case.sentences.filter(is_deleted=False).select_for_update():
        sentence_recompute(sentence=sentence)


@transaction.atomic
def detention_custody_changed(*, detention: Detention) -> None:
    """Custody of a detention changed: the sentences of every case it led to are recomputed."""
    for legal_case in LegalCase.objects.filter(detentions=detention, is_deleted=False):
        legal_case_recompute(legal_case=legal_case)
