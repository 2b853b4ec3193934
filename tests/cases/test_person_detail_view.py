"""cases.views.PersonDetailView (/people/<uid>/): the whole history, the figures, visibility, query count."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cases.choices import SentenceStatus
from core.models import Confidentiality
from events.models import Source
from people.models import ConsentRecord, GroupTag, NameKind, PersonName
from tests.cases.factories import (
    AppealFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    HearingFactory,
    LegalArticleFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import PlaceFactory, SourceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 1, 10)


def _url(person):
    return reverse("cases:person-detail", args=[person.uid])


@pytest.fixture
def person():
    person = PersonFactory(full_name="Karatayev Daniyar", aliases=["Каратаев Данияр"])
    person.groups.add(GroupTag.objects.create(code="test-activist", name_en="Testactivist"))
    ConsentRecord.objects.create(person=person, scope="un", given_on=dt.date(2019, 3, 1), how_recorded="form")
    ConsentRecord.objects.create(
        person=person,
        scope="partners",
        given_on=dt.date(2019, 3, 1),
        withdrawn_on=dt.date(2019, 4, 1),
        how_recorded="form",
    )
    source = Source.objects.create(kind="media", title="Testpaper report", url="https://example.org/report")
    first = DetentionFactory(
        person=person,
        place=PlaceFactory(name_en="Testgrad"),
        detained_at=dt.datetime(2019, 2, 27, 6, 0, tzinfo=dt.UTC),
        released_at=dt.datetime(2019, 3, 1, 6, 0, tzinfo=dt.UTC),
        held_at="Testdistrict police",
    )
    first.sources.add(source)
    second = DetentionFactory(person=person, detained_at=dt.datetime(2019, 6, 9, 6, 0, tzinfo=dt.UTC))
    # Two overlapping periods: 9–20 June and 15–30 June are 22 days, counted once.
    CustodyPeriodFactory(detention=second, started_on=dt.date(2019, 6, 9), ended_on=dt.date(2019, 6, 20))
    CustodyPeriodFactory(
        detention=second, kind="sizo", started_on=dt.date(2019, 6, 15), ended_on=dt.date(2019, 6, 30)
    )
    case = LegalCaseFactory(person=person, number="TEST-0405", opened_on=dt.date(2019, 6, 10))
    case.sources.add(source)
    ChargeFactory(legal_case=case, article=LegalArticleFactory(code="cc-test-405", number="405", part="2"))
    ChargeFactory(legal_case=case, article=LegalArticleFactory(code="cc-test-174", number="174"))
    HearingFactory(
        legal_case=case,
        held_at=dt.datetime(2019, 12, 20, 4, 0, tzinfo=dt.UTC),
        held_at_precision="time",
        kind="trial",
        court="Testgrad city court",
        judge="Judge Testova",
        outcome="Adjourned to 6 January",
    ).sources.add(source)
    sentence = SentenceFactory(
        legal_case=case,
        decided_on=dt.date(2020, 1, 6),
        term_years=1,
        starts_on=dt.date(2020, 1, 6),
        ends_on=dt.date(2021, 1, 6),
        ends_on_override=dt.date(2020, 12, 20),
        appeal_deadline=dt.date(2020, 1, 13),
        status=SentenceStatus.SERVING,
    )
    appeal_source = Source.objects.create(kind="court_document", title="Testappeal decision")
    AppealFactory(
        legal_case=case,
        sentence=sentence,
        court="Testgrad regional court",
        filed_on=dt.date(2020, 1, 8),
        filed_by="defence",
        decided_on=dt.date(2020, 1, 9),
        outcome="upheld",
    ).sources.add(appeal_source)
    return person


@pytest.fixture
def as_lawyer(client, lawyer):
    client.force_login(lawyer)
    return client


@time_machine.travel(dt.datetime(2020, 1, 10, 12, 0, tzinfo=dt.UTC))
def test_shows_the_whole_history_and_figures(as_lawyer, person):
    response = as_lawyer.get(_url(person))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Karatayev Daniyar",
        "Каратаев Данияр",
        "Testactivist",
        "withdrawn on",
        "2019-02-27",
        "Testgrad",
        "Testdistrict police",
        "2019-06-20",
        "TEST-0405",
        "CC art. 405 part 2",
        "CC art. 174",
        "1y",
        "2020-12-20",
        "set by a lawyer",
        "Appeal deadline within 5 days",
        "Testpaper report",
        "https://example.org/report",
        # the hearing (10:00 in Almaty), and the appeal that upheld the sentence, each with its source
        "2019-12-20 10:00",
        "Trial hearing",
        "Judge Testova",
        "Adjourned to 6 January",
        "Testgrad regional court",
        "Upheld",
        "the sentence of 2020-01-06: Imprisonment 1y",
        "Testappeal decision",
        "Download dossier (PDF)",
    ]:
        assert text in html, text
    history = response.context["history"]
    # 27 Feb – 1 Mar (3 days) + 9–30 June (22 days, the overlap counted once).
    assert history.days_in_custody == 25
    assert history.standing.status == "serving"
    assert history.standing.expected_release == dt.date(2020, 12, 20)
    assert [kind for kind, _date, _item in history.timeline] == ["detention", "detention", "case"]


def test_outsider_monitor_gets_404_for_restricted_person(client, monitor, other_monitor):
    hidden = PersonFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    client.force_login(monitor)
    assert client.get(_url(hidden)).status_code == 404


def test_unknown_uid_is_404(as_lawyer):
    assert as_lawyer.get("/people/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_anonymous_is_sent_to_login(client, person):
    response = client.get(_url(person))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_partner_gets_403(client, partner, person):
    client.force_login(partner)
    assert client.get(_url(person)).status_code == 403


def test_hidden_detention_is_not_shown(as_lawyer, person, other_monitor):
    DetentionFactory(
        person=person,
        held_at="Secret testfacility",
        confidentiality=Confidentiality.RESTRICTED,
        created_by=other_monitor,
    )
    assert "Secret testfacility" not in as_lawyer.get(_url(person)).content.decode()


def _add_history(person, count):
    for n in range(count):
        detention = DetentionFactory(person=person, detained_at=dt.datetime(2018, 1, n + 1, tzinfo=dt.UTC))
        CustodyPeriodFactory(detention=detention, started_on=dt.date(2018, 1, n + 1), ended_on=None)
        case = LegalCaseFactory(person=person)
        ChargeFactory(legal_case=case)
        sentence = SentenceFactory(legal_case=case)
        HearingFactory(legal_case=case).sources.add(SourceFactory())
        AppealFactory(legal_case=case, sentence=sentence).sources.add(SourceFactory())


def test_query_count_does_not_grow_with_the_history(client, lawyer, django_assert_num_queries):
    person = PersonFactory()
    PersonName.objects.create(person=person, text="Testalias", kind=NameKind.ALIAS)
    client.force_login(lawyer)
    _add_history(person, 1)
    with django_assert_num_queries(QUERIES) as captured:
        client.get(_url(person))
    _add_history(person, 6)
    with django_assert_num_queries(len(captured.captured_queries)):
        response = client.get(_url(person))
    assert len(response.context["history"].detentions) == 7


# session, user, roles (3); person, names, consents, groups (4); detentions, treatment, custody, sources (4);
# cases, charges, sentences, sources (4); hearings, their sources, appeals (+ sentence), their sources (4);
# the reports panel: the user's and their groups' permissions (2), interventions about the person (1).
QUERIES = 23  # +1: the read log (one INSERT per opened page)
