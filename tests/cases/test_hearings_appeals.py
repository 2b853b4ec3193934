"""Hearings and appeals of a legal case: what a valid one is, entering them on the case's admin page, who may
see them (exactly who may see the case), and how partners get them (the legal case API and its delta feed)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import Appeal, Hearing
from core.models import AuditEntry, Confidentiality
from tests.admin_forms import form_data, inline_prefix, inline_row, without_templates
from tests.cases import feed_reader as feed
from tests.cases.factories import AppealFactory, HearingFactory, LegalCaseFactory, SentenceFactory
from tests.events.factories import SourceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED


@pytest.fixture
def legal_case():
    person = PersonFactory(confidentiality=PUBLIC, full_name="Testov Arman")
    return LegalCaseFactory(person=person, confidentiality=PUBLIC, number="TEST-1-2019")


@pytest.fixture
def sentence(legal_case):
    return SentenceFactory(legal_case=legal_case, decided_on=dt.date(2019, 6, 1), term_years=2)


# --- The models ------------------------------------------------------------------------------------------


def test_an_appeal_cannot_be_decided_before_it_was_filed(legal_case):
    appeal = Appeal(
        legal_case=legal_case, filed_on=dt.date(2019, 7, 1), decided_on=dt.date(2019, 6, 30), outcome="upheld"
    )
    with pytest.raises(ValidationError, match=r"An appeal cannot be decided before it was filed\."):
        appeal.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        appeal.save()  # the database refuses it too, whatever path writes it
    assert not Appeal.objects.exists()


def test_an_appeal_decided_the_day_it_was_filed_or_undated_is_valid(legal_case):
    Appeal(
        legal_case=legal_case, filed_on=dt.date(2019, 7, 1), decided_on=dt.date(2019, 7, 1), outcome="upheld"
    ).full_clean()
    Appeal(legal_case=legal_case).full_clean()


def test_an_appeal_names_a_sentence_of_its_own_case(legal_case):
    other = SentenceFactory(legal_case=LegalCaseFactory())
    with pytest.raises(ValidationError) as error:
        Appeal(legal_case=legal_case, sentence=other).full_clean()
    assert error.value.message_dict == {"sentence": ["Choose a sentence of this legal case."]}


def test_a_decided_appeal_needs_its_outcome(legal_case):
    with pytest.raises(ValidationError) as error:
        Appeal(legal_case=legal_case, decided_on=dt.date(2019, 7, 1), outcome="pending").full_clean()
    assert error.value.message_dict == {"outcome": ["A decided appeal needs its outcome."]}


def test_a_hearing_date_has_its_precision():
    hearing = HearingFactory(
        held_at=dt.datetime(2019, 3, 1, 4, 30, tzinfo=dt.UTC),
        held_at_precision="month",
        held_at_certainty="approximate",
    )
    assert (hearing.held_at_edtf, hearing.held_at_display) == ("2019-03~", "c. 2019-03")
    hearing.held_at_precision, hearing.held_at_certainty = "time", "exact"
    assert hearing.held_at_display == "2019-03-01 10:30"  # Almaty time


# --- Who sees them ---------------------------------------------------------------------------------------


def test_hearings_and_appeals_are_visible_exactly_when_their_case_is(monitor, other_monitor, administrator):
    hidden_case = LegalCaseFactory(confidentiality=RESTRICTED, created_by=other_monitor)
    shown_case = LegalCaseFactory(confidentiality=INTERNAL)
    hidden = [HearingFactory(legal_case=hidden_case), AppealFactory(legal_case=hidden_case)]
    shown = [HearingFactory(legal_case=shown_case), AppealFactory(legal_case=shown_case)]
    deleted = HearingFactory(legal_case=shown_case, is_deleted=True)

    for model in (Hearing, Appeal):
        assert {r.pk for r in model.objects.visible_to(monitor)} == {r.pk for r in shown if type(r) is model}
        assert set(model.objects.visible_to(other_monitor)) >= {r for r in hidden if type(r) is model}
    assert deleted not in Hearing.objects.visible_to(monitor)
    assert deleted in Hearing.objects.visible_to(administrator, include_deleted=True)


# --- The legal case's admin page -------------------------------------------------------------------------


def _change_page(client, legal_case):
    url = reverse("admin:cases_legalcase_change", args=[legal_case.pk])
    return url, client.get(url)


def test_a_lawyer_adds_a_hearing_and_an_appeal_on_the_case_page(client, lawyer, legal_case, sentence):
    source = SourceFactory(title="Testcourt press release")
    client.force_login(lawyer)
    url, page = _change_page(client, legal_case)
    assert page.status_code == 200
    shown = form_data(page)
    data = without_templates(shown)
    hearings, appeals = inline_prefix(page, Hearing), inline_prefix(page, Appeal)
    for prefix in (hearings, appeals):
        data.update(inline_row(shown, prefix, 0))
        data[f"{prefix}-TOTAL_FORMS"] = ["1"]
    data.update(
        {
            f"{hearings}-0-held_at_0": ["2019-05-20"],
            f"{hearings}-0-held_at_1": ["10:00"],
            f"{hearings}-0-held_at_precision": ["time"],
            f"{hearings}-0-kind": ["trial"],
            f"{hearings}-0-judge": ["Judge Testova"],
            f"{hearings}-0-outcome": ["Adjourned"],
            f"{hearings}-0-sources": [str(source.pk)],
            f"{appeals}-0-sentence": [str(sentence.pk)],
            f"{appeals}-0-instance": ["appeal"],
            f"{appeals}-0-filed_by": ["defence"],
            f"{appeals}-0-filed_on": ["2019-06-10"],
            f"{appeals}-0-decided_on": ["2019-07-15"],
            f"{appeals}-0-outcome": ["upheld"],
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    hearing, appeal = Hearing.objects.get(legal_case=legal_case), Appeal.objects.get(legal_case=legal_case)
    assert (hearing.judge, hearing.outcome, hearing.held_at_display) == (
        "Judge Testova",
        "Adjourned",
        "2019-05-20 10:00",
    )
    assert list(hearing.sources.all()) == [source]
    assert (appeal.sentence, appeal.outcome, appeal.decided_on) == (sentence, "upheld", dt.date(2019, 7, 15))
    assert (hearing.created_by, appeal.created_by) == (lawyer, lawyer)
    assert AuditEntry.objects.filter(action="kuzet.hearing.created", object_uid=hearing.uid).exists()
    assert AuditEntry.objects.filter(action="kuzet.appeal.created", object_uid=appeal.uid).exists()


def test_an_appeal_decided_before_filing_is_refused_on_the_page_and_nothing_is_saved(
    client, lawyer, legal_case
):
    client.force_login(lawyer)
    url, page = _change_page(client, legal_case)
    shown = form_data(page)
    data = without_templates(shown)
    prefix = inline_prefix(page, Appeal)
    data.update(inline_row(shown, prefix, 0))
    data[f"{prefix}-TOTAL_FORMS"] = ["1"]
    data.update(
        {
            f"{prefix}-0-filed_on": ["2019-06-10"],
            f"{prefix}-0-decided_on": ["2019-06-01"],
            f"{prefix}-0-outcome": ["upheld"],
            "number": ["TEST-CHANGED"],
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "An appeal cannot be decided before it was filed." in response.content.decode()
    legal_case.refresh_from_db()
    assert legal_case.number == "TEST-1-2019"
    assert not Appeal.objects.exists()


def test_the_sentence_choices_are_the_sentences_of_this_case(client, lawyer, legal_case, sentence):
    other = SentenceFactory(legal_case=LegalCaseFactory(), decided_on=dt.date(2018, 1, 1))
    AppealFactory(legal_case=legal_case)
    client.force_login(lawyer)
    _url, page = _change_page(client, legal_case)
    [formset] = [f.formset for f in page.context["inline_admin_formsets"] if f.formset.model is Appeal]
    choices = set(formset.forms[0].fields["sentence"].queryset)
    assert sentence in choices and other not in choices


def test_saving_the_case_keeps_a_hearing_source_the_editor_cannot_see(
    client, lawyer, other_monitor, legal_case
):
    hidden = SourceFactory(title="Secret testsource", confidentiality=RESTRICTED, created_by=other_monitor)
    shown = SourceFactory(title="Open testsource")
    hearing = HearingFactory(legal_case=legal_case)
    hearing.sources.add(hidden, shown)
    client.force_login(lawyer)
    url, page = _change_page(client, legal_case)
    html = page.content.decode()
    assert "Open testsource" in html and "Secret testsource" not in html
    data = without_templates(form_data(page))
    prefix = inline_prefix(page, Hearing)
    data[f"{prefix}-0-outcome"] = ["Postponed"]

    assert client.post(url, data).status_code == 302

    hearing.refresh_from_db()
    assert hearing.outcome == "Postponed"
    assert set(hearing.sources.all()) == {hidden, shown}


def test_a_monitor_reads_hearings_but_may_not_change_them(client, monitor, legal_case):
    HearingFactory(legal_case=legal_case, judge="Judge Testova")
    client.force_login(monitor)
    url, page = _change_page(client, legal_case)
    assert page.status_code == 200
    assert "Judge Testova" in page.content.decode()
    assert client.post(url, {"number": "x"}).status_code == 403
    assert monitor.has_perm("cases.view_hearing") and monitor.has_perm("cases.view_appeal")
    assert not monitor.has_perm("cases.change_hearing")


def test_a_lawyer_has_the_sentence_permissions_on_hearings_and_appeals(lawyer):
    for model in ("sentence", "hearing", "appeal"):
        for action in ("add", "change", "delete", "view"):
            assert lawyer.has_perm(f"cases.{action}_{model}"), (action, model)


# --- The API and its delta feed --------------------------------------------------------------------------


def test_the_case_nests_live_hearings_and_appeals_with_the_sources_the_reader_may_see(
    partner, api_client_for, legal_case, sentence
):
    public, internal = SourceFactory(confidentiality=PUBLIC), SourceFactory(confidentiality=INTERNAL)
    hearing = HearingFactory(legal_case=legal_case, held_at_precision="day", court="Testcity court")
    hearing.sources.add(public, internal)
    HearingFactory(legal_case=legal_case, is_deleted=True)
    appeal = AppealFactory(
        legal_case=legal_case, sentence=sentence, filed_on_precision="month", outcome="pending"
    )
    appeal.sources.add(internal)

    row = api_client_for(partner).get(f"/api/v1/legal-cases/{legal_case.uid}/").json()

    [nested_hearing] = row["hearings"]
    assert nested_hearing["id"] == str(hearing.uid)
    assert (nested_hearing["kind"], nested_hearing["court"]) == ("trial", "Testcity court")
    assert nested_hearing["held_at_edtf"] == "2019-05-20"
    assert nested_hearing["sources"] == [str(public.uid)]
    [nested_appeal] = row["appeals"]
    assert nested_appeal["sentence"] == str(sentence.uid)
    assert (nested_appeal["filed_on_edtf"], nested_appeal["decided_on_edtf"]) == ("2019-06", None)
    assert (nested_appeal["outcome"], nested_appeal["sources"]) == ("pending", [])


def _changed_cases(client, cursor) -> list[dict]:
    entries, _cursor = feed.drain(client, cursor)
    return [e for e in entries if e["type"] == "legal-case"]


def test_the_feed_carries_each_change_to_a_hearing_or_appeal_as_a_change_of_its_case(
    partner, api_client_for, legal_case, sentence
):
    client = api_client_for(partner)
    source = SourceFactory(confidentiality=INTERNAL)
    made = {}

    def step(name, change):
        cursor = feed.now()
        change()
        # The case comes once, as the list shows it now: a partner applying it holds what the list holds.
        [entry] = _changed_cases(client, cursor)
        assert entry["uid"] == str(legal_case.uid), name
        assert entry["data"] == feed.listed(client, "legal-cases")[str(legal_case.uid)], name
        return entry["data"]

    step("hearing added", lambda: made.update(hearing=HearingFactory(legal_case=legal_case)))
    step("appeal added", lambda: made.update(appeal=AppealFactory(legal_case=legal_case, sentence=sentence)))
    data = step("hearing source linked", lambda: made["hearing"].sources.add(source))
    assert data["hearings"][0]["sources"] == []  # internal: not the partner's
    step("appeal source linked from the source's end", lambda: source.appeals.add(made["appeal"]))
    data = step("linked source released", lambda: _save(source, confidentiality=PUBLIC))
    assert data["hearings"][0]["sources"] == data["appeals"][0]["sources"] == [str(source.uid)]
    data = step(
        "appeal decided", lambda: _save(made["appeal"], decided_on=dt.date(2019, 8, 1), outcome="upheld")
    )
    assert data["appeals"][0]["outcome"] == "upheld"
    data = step("hearing source unlinked", lambda: made["hearing"].sources.remove(source))
    assert data["hearings"][0]["sources"] == []


def _save(record, **fields):
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
