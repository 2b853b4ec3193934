import datetime as dt
from decimal import Decimal

import pytest

from cases.models import AppealTerm, CustodyCredit
from cases.services import detention_custody_changed, sentence_recompute
from tests.cases.factories import CustodyPeriodFactory, DetentionFactory, LegalCaseFactory, SentenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates():
    CustodyCredit.objects.update_or_create(sentence_kind="imprisonment", defaults={"days_per_custody_day": 1})
    CustodyCredit.objects.update_or_create(
        sentence_kind="restriction_of_liberty", defaults={"days_per_custody_day": Decimal("2.00")}
    )
    AppealTerm.objects.update_or_create(case_kind="criminal", defaults={"days": 15})


def _case_with_custody(days: int):
    detention = DetentionFactory()
    CustodyPeriodFactory(
        detention=detention,
        started_on=dt.date(2019, 3, 1),
        ended_on=dt.date(2019, 3, 1) + dt.timedelta(days - 1),
    )
    legal_case = LegalCaseFactory(person=detention.person, kind="criminal")
    legal_case.detentions.add(detention)
    return legal_case, detention


def test_seven_years_less_days_in_custody(rates):
    legal_case, _ = _case_with_custody(40)
    sentence = SentenceFactory(
        legal_case=legal_case,
        kind="imprisonment",
        term_years=7,
        decided_on=dt.date(2019, 6, 1),
        starts_on=dt.date(2019, 6, 1),
    )
    sentence_recompute(sentence=sentence)
    sentence.refresh_from_db()
    assert sentence.custody_credit_days == 40
    assert sentence.ends_on == dt.date(2026, 6, 1) - dt.timedelta(days=40)
    assert sentence.appeal_deadline == dt.date(2019, 6, 16)
    assert sentence.expected_end == sentence.ends_on
    assert not sentence.end_is_overridden


def test_restriction_of_liberty_credits_two_days_per_day_in_custody(rates):
    legal_case, _ = _case_with_custody(10)
    sentence = SentenceFactory(
        legal_case=legal_case, kind="restriction_of_liberty", term_years=1, starts_on=dt.date(2019, 6, 1)
    )
    sentence_recompute(sentence=sentence)
    sentence.refresh_from_db()
    assert sentence.custody_credit_days == 20
    assert sentence.ends_on == dt.date(2020, 6, 1) - dt.timedelta(days=20)


def test_lawyer_override_is_kept_and_the_computed_date_stays_beside_it(rates):
    legal_case, _ = _case_with_custody(5)
    override = dt.date(2025, 1, 1)
    sentence = SentenceFactory(
        legal_case=legal_case,
        kind="imprisonment",
        term_years=7,
        starts_on=dt.date(2019, 6, 1),
        ends_on_override=override,
    )
    sentence_recompute(sentence=sentence)
    sentence.refresh_from_db()
    assert sentence.expected_end == override
    assert sentence.end_is_overridden
    assert sentence.ends_on == dt.date(2026, 6, 1) - dt.timedelta(days=5)


def test_no_start_date_gives_no_end_date_rather_than_a_guess(rates):
    legal_case, _ = _case_with_custody(5)
    sentence = SentenceFactory(legal_case=legal_case, kind="imprisonment", term_years=3, starts_on=None)
    sentence_recompute(sentence=sentence)
    assert sentence.ends_on is None


def test_fine_has_no_end_date(rates):
    legal_case, _ = _case_with_custody(2)
    sentence = SentenceFactory(
        legal_case=legal_case, kind="fine", amount=Decimal("252500"), starts_on=dt.date(2019, 6, 1)
    )
    sentence_recompute(sentence=sentence)
    assert sentence.ends_on is None
    assert sentence.custody_credit_days == 0


def test_a_new_custody_period_moves_the_end_date(rates):
    legal_case, detention = _case_with_custody(10)
    sentence = SentenceFactory(
        legal_case=legal_case, kind="imprisonment", term_years=2, starts_on=dt.date(2019, 6, 1)
    )
    sentence_recompute(sentence=sentence)
    CustodyPeriodFactory(detention=detention, started_on=dt.date(2019, 4, 1), ended_on=dt.date(2019, 4, 5))
    detention_custody_changed(detention=detention)
    sentence.refresh_from_db()
    assert sentence.custody_credit_days == 15


def test_a_deleted_detention_is_no_longer_credited(rates):
    legal_case, detention = _case_with_custody(10)
    sentence = SentenceFactory(
        legal_case=legal_case, kind="imprisonment", term_years=2, starts_on=dt.date(2019, 6, 1)
    )
    detention.is_deleted = True
    detention.save()
    sentence_recompute(sentence=sentence)
    assert sentence.custody_credit_days == 0


def test_detention_without_custody_periods_counts_from_arrest_to_release(rates):
    detention = DetentionFactory(
        detained_at=dt.datetime(2019, 2, 23, 10, tzinfo=dt.UTC),
        released_at=dt.datetime(2019, 2, 28, 10, tzinfo=dt.UTC),
    )
    legal_case = LegalCaseFactory(person=detention.person, kind="criminal")
    legal_case.detentions.add(detention)
    sentence = SentenceFactory(
        legal_case=legal_case, kind="imprisonment", term_years=1, starts_on=dt.date(2019, 6, 1)
    )
    sentence_recompute(sentence=sentence)
    assert sentence.custody_credit_days == 6


def test_a_decision_known_only_by_year_has_no_appeal_deadline(rates):
    legal_case, _ = _case_with_custody(1)
    sentence = SentenceFactory(
        legal_case=legal_case,
        kind="imprisonment",
        term_years=4,
        decided_on=dt.date(2018, 1, 1),
        decided_on_precision="year",
    )
    sentence_recompute(sentence=sentence)
    assert sentence.appeal_deadline is None
