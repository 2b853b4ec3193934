"""cases.services.detention_update: the admin's validation, links kept, sentences recomputed, audit, and
nothing written on failure."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases.models import Treatment
from cases.services import detention_update
from core.models import AuditEntry, Confidentiality
from tests.cases.factories import DetentionFactory, LegalCaseFactory, SentenceFactory
from tests.events.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_detention_update_changes_fields_links_and_audits(lawyer):
    detention = DetentionFactory()
    detention_update(
        user=lawyer, detention=detention, outcome="fined", treatment=[Treatment.objects.get(code="beaten")]
    )
    detention.refresh_from_db()
    assert detention.outcome == "fined"
    assert list(detention.treatment.values_list("code", flat=True)) == ["beaten"]
    entry = AuditEntry.objects.get(action="kuzet.detention.updated")
    assert entry.data == {"fields": ["outcome", "treatment"]}


def test_detention_update_recomputes_the_sentences_it_led_to(lawyer):
    detention = DetentionFactory(detained_at=dt.datetime(2019, 3, 1, 6, tzinfo=dt.UTC))
    legal_case = LegalCaseFactory(person=detention.person)
    legal_case.detentions.add(detention)
    sentence = SentenceFactory(
        legal_case=legal_case, kind="imprisonment", term_years=1, starts_on=dt.date(2019, 6, 1)
    )
    detention_update(user=lawyer, detention=detention, released_at=dt.datetime(2019, 3, 10, 6, tzinfo=dt.UTC))
    sentence.refresh_from_db()
    assert sentence.custody_credit_days == 10


def test_detention_update_refuses_release_before_detention(lawyer):
    detention = DetentionFactory()
    with pytest.raises(ValidationError, match="detention_released_after_detained"):
        detention_update(
            user=lawyer,
            detention=detention,
            released_at=detention.detained_at - dt.timedelta(days=1),
            treatment=[Treatment.objects.get(code="beaten")],
        )
    detention.refresh_from_db()
    assert detention.released_at is None
    assert not detention.treatment.exists()
    assert not AuditEntry.objects.exists()


def test_detention_update_keeps_sources_the_user_may_not_see(monitor, other_monitor):
    detention = DetentionFactory()
    hidden = SourceFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    detention.sources.add(hidden)
    new = SourceFactory()
    detention_update(user=monitor, detention=detention, sources=[new])
    assert set(detention.sources.all()) == {hidden, new}
