"""cases.services.legal_case_create / legal_case_update: the admin's validation, the rows written (charges and
sentences synced by uid), the audit entries, and nothing written on failure."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases.models import Charge, LegalArticle, LegalCase, Sentence
from cases.services import legal_case_create, legal_case_update
from core.models import AuditEntry
from tests.cases.factories import (
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _article(code="cc-405-2"):
    return LegalArticle.objects.get(code=code)


# --- legal_case_create / legal_case_update -----------------------------------------------------------------


def test_create_writes_the_case_its_rows_and_computes_sentences(lawyer):
    person = PersonFactory()
    detention = DetentionFactory(person=person)
    CustodyPeriodFactory(detention=detention, started_on=dt.date(2019, 3, 1), ended_on=dt.date(2019, 3, 5))
    legal_case = legal_case_create(
        user=lawyer,
        person=person,
        kind="criminal",
        detentions=[detention],
        charges=[{"article": _article()}],
        sentences=[
            {
                "decided_on": dt.date(2019, 6, 1),
                "kind": "imprisonment",
                "term_years": 1,
                "starts_on": dt.date(2019, 6, 1),
            }
        ],
    )
    [sentence] = legal_case.sentences.all()
    assert sentence.custody_credit_days == 5
    assert sentence.appeal_deadline == dt.date(2019, 6, 16)
    assert legal_case.charges.get().created_by == lawyer
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"kuzet.legalcase.created", "kuzet.charge.created", "kuzet.sentence.created"} <= actions


def test_create_with_an_invalid_sentence_writes_nothing(lawyer):
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        legal_case_create(
            user=lawyer,
            person=person,
            kind="criminal",
            charges=[{"article": _article()}],
            sentences=[{"decided_on": dt.date(2019, 6, 1), "kind": "exile"}],
        )
    assert "sentences" in error.value.message_dict
    assert (LegalCase.objects.count(), Charge.objects.count(), Sentence.objects.count()) == (0, 0, 0)
    assert not AuditEntry.objects.exists()


def test_update_syncs_children_by_uid(lawyer):
    legal_case = LegalCaseFactory()
    kept = ChargeFactory(legal_case=legal_case, article=_article())
    removed = ChargeFactory(legal_case=legal_case, article=_article("cc-174-1"))
    legal_case_update(
        user=lawyer,
        legal_case=legal_case,
        charges=[
            {"uid": kept.uid, "article": _article(), "status": "convicted"},
            {"article": _article("cc-179")},
        ],
    )
    kept.refresh_from_db()
    removed.refresh_from_db()
    assert kept.status == "convicted"
    assert removed.is_deleted and removed.deleted_by == lawyer
    assert sorted(
        Charge.objects.live().filter(legal_case=legal_case).values_list("article__code", flat=True)
    ) == [
        "cc-179",
        "cc-405-2",
    ]
    assert AuditEntry.objects.get(action="kuzet.legalcase.updated").data == {"fields": ["charges"]}


def test_update_with_unchanged_rows_writes_nothing(lawyer):
    legal_case = LegalCaseFactory()
    charge = ChargeFactory(legal_case=legal_case, article=_article())
    before = LegalCase.objects.get(pk=legal_case.pk).updated_at
    legal_case_update(
        user=lawyer,
        legal_case=legal_case,
        charges=[{"uid": charge.uid, "article": _article(), "status": "pending"}],
    )
    legal_case.refresh_from_db()
    assert legal_case.updated_at == before
    assert not AuditEntry.objects.exists()


def test_update_refuses_a_charge_of_another_case(lawyer):
    legal_case = LegalCaseFactory()
    foreign = ChargeFactory(article=_article())
    with pytest.raises(ValidationError, match="no such charge"):
        legal_case_update(
            user=lawyer, legal_case=legal_case, charges=[{"uid": foreign.uid, "article": _article()}]
        )
    foreign.refresh_from_db()
    assert foreign.legal_case != legal_case and not foreign.is_deleted


def test_kind_change_recomputes_the_appeal_deadline(lawyer):
    legal_case = LegalCaseFactory(kind="criminal")
    sentence = SentenceFactory(legal_case=legal_case, decided_on=dt.date(2019, 6, 1))
    legal_case_update(user=lawyer, legal_case=legal_case, kind="administrative")
    sentence.refresh_from_db()
    assert sentence.appeal_deadline == dt.date(2019, 6, 11)
