"""cases.dashboard_views.DashboardView (/dashboard/): counts, lists and urgent items within visibility, the
period form, and a query count that does not grow with the data."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.choices import AppealOutcome, DetentionOutcome, PersonStatus, SentenceStatus, Whereabouts
from cases.dashboard_charts import Bar, bar_chart_svg, column_chart_svg
from core.models import Confidentiality
from events.models import Place
from people.models import Person
from tests.cases.factories import CustodyPeriodFactory, DetentionFactory, LegalCaseFactory, SentenceFactory
from tests.events.factories import AssemblyFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2022, 1, 20, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2022, 1, 20)
PERIOD = {"from": "2022-01-01", "to": "2022-01-15"}
URL = reverse("cases:dashboard")


def _at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2022, 1, day, hour, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def data(other_monitor):
    almaty, aktau = Place.objects.get(code="almaty"), Place.objects.get(code="aktau")
    rally = AssemblyFactory(
        title="Test rally Almaty", place=almaty, starts_at=_at(4, 9), reported_detainees=100
    )
    picket = AssemblyFactory(
        title="Test picket Aktau", place=aktau, starts_at=_at(5, 7), reported_detainees=10
    )
    # Released the same day: counted per day and city, not held.
    DetentionFactory(
        person=PersonFactory(full_name="Testov Aibek"),
        place=almaty,
        assembly=rally,
        detained_at=_at(4, 10),
        released_at=_at(4, 20),
        outcome=DetentionOutcome.RELEASED,
    )
    # Held, whereabouts unknown for days, no court decision: urgent twice. No place: the rally's city.
    held_unknown = DetentionFactory(
        person=PersonFactory(full_name="Testova Saule"),
        assembly=rally,
        detained_at=_at(4, 12),
        outcome=DetentionOutcome.STILL_HELD,
        whereabouts=Whereabouts.UNKNOWN,
        held_at="Test district police",
    )
    # In custody (an open custody period) and serving a sentence: held, but decided and located.
    serving = DetentionFactory(
        person=PersonFactory(full_name="Testov Marat"),
        place=aktau,
        assembly=picket,
        detained_at=_at(5, 8),
        whereabouts=Whereabouts.DISCLOSED,
    )
    CustodyPeriodFactory(detention=serving, started_on=dt.date(2022, 1, 5), ended_on=None)
    case = LegalCaseFactory(person=serving.person)
    case.detentions.add(serving)
    SentenceFactory(legal_case=case, status=SentenceStatus.SERVING, ends_on=TODAY + dt.timedelta(days=30))
    # Another monitor's restricted detention: never counted, listed or urgent for `monitor`.
    DetentionFactory(
        person=PersonFactory(full_name="Testova Hidden"),
        place=almaty,
        assembly=rally,
        detained_at=_at(4, 11),
        outcome=DetentionOutcome.STILL_HELD,
        confidentiality=Confidentiality.RESTRICTED,
        created_by=other_monitor,
    )
    # Before the period.
    DetentionFactory(
        place=almaty,
        detained_at=dt.datetime(2021, 12, 20, 12, 0, tzinfo=dt.UTC),
        released_at=dt.datetime(2021, 12, 21, 12, 0, tzinfo=dt.UTC),
    )
    # Held since yesterday evening, incommunicado: in custody, but under both urgent thresholds.
    DetentionFactory(
        person=PersonFactory(full_name="Testova Gulnara"),
        place=almaty,
        detained_at=_at(19, 20),
        outcome=DetentionOutcome.STILL_HELD,
        whereabouts=Whereabouts.INCOMMUNICADO,
    )
    # Sentences with dates to watch (their people were not detained in the period).
    SentenceFactory(
        legal_case=LegalCaseFactory(person=PersonFactory(full_name="Testov Erlan")),
        appeal_deadline=TODAY + dt.timedelta(days=3),
        ends_on=TODAY + dt.timedelta(days=200),
    )
    SentenceFactory(
        legal_case=LegalCaseFactory(person=PersonFactory(full_name="Testova Dana")),
        appeal_deadline=TODAY + dt.timedelta(days=10),
        ends_on=TODAY + dt.timedelta(days=400),
        ends_on_override=TODAY + dt.timedelta(days=80),
    )
    SentenceFactory(
        legal_case=LegalCaseFactory(person=PersonFactory(full_name="Testov Later")),
        appeal_deadline=TODAY + dt.timedelta(days=20),
        ends_on=TODAY + dt.timedelta(days=91),
    )
    SentenceFactory(
        legal_case=LegalCaseFactory(person=PersonFactory(full_name="Testov Appealed")),
        appeal_deadline=TODAY + dt.timedelta(days=2),
        appeal_outcome=AppealOutcome.PENDING,
    )
    SentenceFactory(
        legal_case=LegalCaseFactory(person=PersonFactory(full_name="Testov Served")),
        status=SentenceStatus.SERVED,
        ends_on=TODAY + dt.timedelta(days=5),
    )
    return {"held_unknown": held_unknown, "serving": serving}


def _dashboard(client, user, params=PERIOD):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.context["dashboard"]


def _names(rows) -> list[str]:
    return [getattr(row, "person_name", None) or row.name for row in rows]


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_partner_gets_403(client, partner):
    client.force_login(partner)
    assert client.get(URL).status_code == 403


def test_wrong_method_gets_405(client, monitor):
    client.force_login(monitor)
    assert client.post(URL).status_code == 405


def test_counts_per_day_and_city_leave_out_another_monitors_restricted_detention(client, monitor, data):
    dashboard = _dashboard(client, monitor)

    per_day = {d.day: d.count for d in dashboard.per_day if d.count}
    assert per_day == {dt.date(2022, 1, 4): 2, dt.date(2022, 1, 5): 1}
    assert len(dashboard.per_day) == 15  # every day of the period, empty days as 0
    assert {p.label: p.count for p in dashboard.per_city} == {"Almaty": 2, "Aktau": 1}
    assert dashboard.total_detentions == 3


def test_the_restricted_detention_counts_for_its_creator(client, other_monitor, data):
    dashboard = _dashboard(client, other_monitor)

    assert {p.label: p.count for p in dashboard.per_city} == {"Almaty": 3, "Aktau": 1}
    assert "Testova Hidden" in _names(dashboard.in_custody.rows)


def test_in_custody_lists_the_held_and_the_serving(client, monitor, data):
    custody = _dashboard(client, monitor).in_custody

    assert custody.total == 3
    assert [(r.name, r.held, r.serving) for r in custody.rows] == [
        ("Testov Marat", True, True),
        ("Testova Gulnara", True, False),
        ("Testova Saule", True, False),
    ]


def test_a_sentence_still_marked_serving_after_its_end_is_not_in_custody(client, monitor):
    def serving(name, **ends):
        case = LegalCaseFactory(person=PersonFactory(full_name=name))
        SentenceFactory(legal_case=case, status=SentenceStatus.SERVING, **ends)

    serving("Testov Ended", ends_on=TODAY - dt.timedelta(days=1))
    serving("Testov Today", ends_on=TODAY)
    serving(
        "Testov Extended", ends_on=TODAY - dt.timedelta(days=5), ends_on_override=TODAY + dt.timedelta(days=9)
    )
    serving(
        "Testov Shortened",
        ends_on=TODAY + dt.timedelta(days=9),
        ends_on_override=TODAY - dt.timedelta(days=5),
    )
    serving("Testov Open-ended", ends_on=None)

    custody = _dashboard(client, monitor).in_custody

    assert sorted(_names(custody.rows)) == ["Testov Extended", "Testov Open-ended", "Testov Today"]
    for name, status in (("Testov Ended", PersonStatus.NO_DETENTION), ("Testov Today", PersonStatus.SERVING)):
        person = Person.objects.get(full_name=name)
        response = client.get(reverse("cases:person-detail", args=[person.uid]))
        assert response.context["history"].standing.status == status, name


def test_upcoming_sentence_ends_and_appeal_deadlines(client, monitor, data):
    dashboard = _dashboard(client, monitor)

    assert [(r.person_name, r.date) for r in dashboard.sentence_ends] == [
        ("Testov Marat", TODAY + dt.timedelta(days=30)),
        ("Testova Dana", TODAY + dt.timedelta(days=80)),  # the lawyer's override, not the computed date
    ]
    assert [(r.person_name, r.date) for r in dashboard.appeal_deadlines] == [
        ("Testov Erlan", TODAY + dt.timedelta(days=3)),
        ("Testova Dana", TODAY + dt.timedelta(days=10)),
    ]


def test_assemblies_by_detentions_and_reported_vs_named_gap(client, monitor, data):
    dashboard = _dashboard(client, monitor)

    assert [(a.title, a.detentions) for a in dashboard.top_assemblies] == [
        ("Test rally Almaty", 2),
        ("Test picket Aktau", 1),
    ]
    # The restricted detention at the rally is not named for `monitor`.
    assert [(a.title, a.reported, a.named, a.gap) for a in dashboard.reported_vs_named] == [
        ("Test rally Almaty", 100, 2, 98),
        ("Test picket Aktau", 10, 1, 9),
    ]
    rally = dashboard.top_assemblies[0]
    assert rally.url.startswith("/")


@pytest.fixture
def long_lookback(settings):
    """Saule was detained 16 days ago: past the default look-back of 14 days."""
    settings.URGENT_LOOKBACK_DAYS = 30


def test_urgent_items(client, monitor, data, long_lookback):
    urgent = _dashboard(client, monitor).urgent

    assert _names(urgent.whereabouts.rows) == ["Testova Saule"]
    assert _names(urgent.held.rows) == ["Testova Saule"]
    assert [(r.person_name, r.deadline) for r in urgent.appeals] == [
        ("Testov Erlan", TODAY + dt.timedelta(days=3))
    ]
    assert urgent.count == 3
    assert urgent.hidden == 0


def test_urgent_thresholds_come_from_settings(client, monitor, data, settings, long_lookback):
    settings.URGENT_WHEREABOUTS_HOURS = 24 * 17  # longer than Saule has been held
    settings.URGENT_HELD_HOURS = 12  # shorter than Gulnara has been held

    urgent = _dashboard(client, monitor).urgent

    assert urgent.whereabouts.total == 0
    assert _names(urgent.held.rows) == ["Testova Gulnara", "Testova Saule"]


def test_urgent_leaves_out_detentions_older_than_the_look_back_and_counts_them(client, monitor, data):
    client.force_login(monitor)
    response = client.get(URL, PERIOD)
    urgent = response.context["dashboard"].urgent

    # Saule, held 16 days with her whereabouts unknown, is stale data at the default 14 days; another
    # monitor's restricted detention of that day is not counted for `monitor`.
    assert (urgent.whereabouts.total, urgent.held.total, urgent.count) == (0, 0, 1)
    assert urgent.hidden == 1
    html = response.content.decode()
    hidden = re.search(r'<p class="muted" id="urgent-hidden">(.*?)</p>', html, re.S).group(1)
    assert "1 detention older than 14 days is left out" in hidden
    assert f'href="{reverse("admin:cases_detention_changelist")}?urgent=stale"' in hidden


def test_the_hidden_link_lists_the_stale_detentions_in_the_admin(client, monitor, data):
    client.force_login(monitor)
    admin_list = reverse("admin:cases_detention_changelist")

    stale = client.get(admin_list, {"urgent": "stale"})
    current = client.get(admin_list, {"urgent": "current"})

    assert stale.status_code == current.status_code == 200
    assert [d.person.full_name for d in stale.context["cl"].result_list] == ["Testova Saule"]
    # Gulnara is held under both thresholds; Marat is decided and located.
    assert [d.person.full_name for d in current.context["cl"].result_list] == []


def test_no_hidden_note_when_nothing_is_stale(client, monitor, data, long_lookback):
    client.force_login(monitor)

    assert 'id="urgent-hidden"' not in client.get(URL, PERIOD).content.decode()


def test_page_links_each_person_and_shows_the_charts(client, monitor, data):
    client.force_login(monitor)
    html = client.get(URL, PERIOD).content.decode()

    assert reverse("cases:person-detail", args=[data["held_unknown"].person.uid]) in html
    assert html.count("<svg") == 3  # per day, per city, map
    assert "Testova Hidden" not in html


def test_default_period_is_the_last_365_days(client, monitor):
    dashboard = _dashboard(client, monitor, params={})

    assert (dashboard.start, dashboard.end) == (TODAY - dt.timedelta(days=364), TODAY)


@pytest.mark.parametrize(
    "params",
    [{"from": "2022-13-01"}, {"from": "yesterday"}, {"from": "2022-02-01", "to": "2022-01-01"}],
)
def test_bad_period_shows_a_form_error(client, monitor, params):
    client.force_login(monitor)
    response = client.get(URL, params)

    assert response.status_code == 200
    assert "dashboard" not in response.context
    assert response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()


def _more_data(other_monitor):
    almaty = Place.objects.get(code="almaty")
    for i in range(8):
        assembly = AssemblyFactory(place=almaty, starts_at=_at(2 + i), reported_detainees=50 + i)
        for j in range(3):
            detention = DetentionFactory(
                assembly=assembly,
                detained_at=_at(2 + i, 10 + j),
                outcome=DetentionOutcome.STILL_HELD,
                confidentiality=Confidentiality.RESTRICTED if j == 2 else Confidentiality.INTERNAL,
                created_by=other_monitor,
            )
            CustodyPeriodFactory(detention=detention, started_on=dt.date(2022, 1, 2 + i), ended_on=None)
            case = LegalCaseFactory(person=detention.person)
            case.detentions.add(detention)
            SentenceFactory(
                legal_case=case,
                status=SentenceStatus.SERVING,
                ends_on=TODAY + dt.timedelta(days=10 + i),
                appeal_deadline=TODAY + dt.timedelta(days=i),
            )


def test_query_count_does_not_grow_with_the_data(
    client, monitor, other_monitor, data, django_assert_max_num_queries
):
    client.force_login(monitor)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, PERIOD)
    _more_data(other_monitor)
    with django_assert_max_num_queries(len(small)), CaptureQueriesContext(connection) as large:
        response = client.get(URL, PERIOD)

    # session, user, roles + 15 for the dashboard itself + 3 for the reports panel (the user's and their
    # groups' permissions, interventions awaiting a reply; there are none, so no query for their people).
    assert len(large) == len(small) == 21
    assert response.context["dashboard"].in_custody.total > 3


def test_charts_escape_labels_and_refuse_off_site_links():
    label = '<script>alert("x")</script> & Co'
    for svg in (
        column_chart_svg([Bar(label=label, value=1)], title=label),
        bar_chart_svg([Bar(label=label, value=1, url="/search/?a=1&b=2")], title=label),
    ):
        assert "<script>" not in svg
        assert re.search(r"&lt;script&gt;", svg)
    with pytest.raises(ValueError, match="site-relative"):
        bar_chart_svg([Bar(label="x", value=1, url="javascript:alert(1)")], title="t")
