"""The permission matrix through the browser pages (cases/urls.py, reports/urls.py): every role × every page
(GET) and every page action that writes (POST), with the exact status written out.

Anonymous users go to the login page (302); a signed-in user without a staff role (the partner persona)
gets 403; staff open every page, and write what their role's permissions allow (403 otherwise, nothing
written). The per-page tests (tests/cases, tests/reports) cover each page in depth; this table covers them
all at once, so a new page or a changed role shows up here."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from cases.models import Detention
from people.models import Person
from reports.models import Report, ReportStatus
from tests.people.factories import PersonFactory
from tests.reports.flow import PDF, definition
from tests.security.conftest import ROLES

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a 302 to the admin login page

# page: {role: status}; the staff roles not named answer 200.
_STAFF_PAGE = {"anonymous": LOGIN, "partner": 403}
GET_PAGES = {
    "person-search": _STAFF_PAGE,
    "dashboard": _STAFF_PAGE,
    "person-detail": _STAFF_PAGE,
    "person-dossier": _STAFF_PAGE,
    "person-suggest": _STAFF_PAGE,
    "person-duplicates": _STAFF_PAGE,
    "assembly-detail": _STAFF_PAGE,
    # Fast entry of detentions needs cases.add_detention.
    "assembly-record": {**_STAFF_PAGE, "analyst": 403},
    "assembly-record-row": {**_STAFF_PAGE, "analyst": 403},
    "report-list": _STAFF_PAGE,
    "report-detail": _STAFF_PAGE,
    "report-file": _STAFF_PAGE,
    # Queueing: analysts and administrators any report, lawyers an individual communication.
    "report-queue": {**_STAFF_PAGE, "monitor": 403},
}

# action: {role: status}. 302 is the success redirect, with the database changed.
POST_ACTIONS = {
    "fast entry (save a detention)": {
        **_STAFF_PAGE,
        "monitor": 302,
        "lawyer": 302,
        "analyst": 403,
        "administrator": 302,
    },
    "merge two people": {**_STAFF_PAGE, "monitor": 302, "lawyer": 302, "analyst": 403, "administrator": 302},
    "queue a report": {**_STAFF_PAGE, "monitor": 403, "lawyer": 200, "analyst": 302, "administrator": 302},
    "approve a report": {**_STAFF_PAGE, "monitor": 403, "lawyer": 403, "analyst": 302, "administrator": 302},
    "mark a report submitted": {
        **_STAFF_PAGE,
        "monitor": 403,
        "lawyer": 403,
        "analyst": 302,
        "administrator": 302,
    },
    "record a body's response": {
        **_STAFF_PAGE,
        "monitor": 403,
        "lawyer": 403,
        "analyst": 302,
        "administrator": 302,
    },
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _report(status=ReportStatus.REVIEW) -> Report:
    report = Report.objects.create(
        definition=definition("un-sr-foaa"),
        period_start=dt.date(2019, 2, 1),
        period_end=dt.date(2019, 2, 28),
        status=status,
        version=Report.objects.count() + 1,
    )
    report.pdf_file.save("report.pdf", ContentFile(PDF), save=False)
    report.compiled_at = timezone.now()
    report.save()
    return report


def _get_url(page: str, records) -> str:
    person, assembly = records["person"], records["assembly"]
    match page:
        case "person-detail" | "person-dossier":
            return reverse(f"cases:{page}", args=[person.uid])
        case "assembly-detail" | "assembly-record":
            return reverse(f"cases:{page}", args=[assembly.uid])
        case "assembly-record-row":
            return reverse("cases:assembly-record-row", args=[assembly.uid]) + "?index=3"
        case "person-suggest":
            return reverse("cases:person-suggest") + "?q=Matrix"
        case "person-search":
            return reverse("cases:person-search") + "?q=Matrixova"
        case "report-detail":
            return reverse("reports:report-detail", args=[_report().uid])
        case "report-file":
            return reverse("reports:report-file", args=[_report().uid, "pdf"])
        case "report-list" | "report-queue":
            return reverse(f"reports:{page}")
    return reverse(f"cases:{page}")


def _expected(table: dict, role: str):
    return table.get(role, 200)


def _outcome(response):
    """The status, with a redirect to the login page told apart from any other redirect."""
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return LOGIN
    return response.status_code


def test_every_page_is_in_the_matrix():
    """Each named page of cases/urls.py and reports/urls.py is in one of the tables (by URL name; the POST
    actions send, retry and recompile are in tests/reports/test_report_pages.py and test_csrf.py)."""
    from cases.urls import urlpatterns as case_urls
    from reports.urls import urlpatterns as report_urls

    names = {p.name for p in [*case_urls, *report_urls]}
    posted_only = {"report-approve", "report-send", "report-submit", "report-retry", "report-recompile"}
    assert names - posted_only - {"intervention-response"} == set(GET_PAGES)


@pytest.mark.parametrize("page", GET_PAGES)
def test_page_get(page, records, client_as, media):
    url = _get_url(page, records)
    got = {role: _outcome(client_as(role).get(url)) for role in ROLES}
    assert got == {role: _expected(GET_PAGES[page], role) for role in ROLES}


def _fast_entry(records):
    url = reverse("cases:assembly-record", args=[records["assembly"].uid])
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "200",
        "form-0-name": "Fastova Dinara",
        "form-0-time": "12:30",
        "form-0-procedural_status": "unknown",
        "form-0-outcome": "unknown",
    }
    before = Detention.objects.filter(person__full_name="Fastova Dinara").count()
    return url, data, lambda: Detention.objects.filter(person__full_name="Fastova Dinara").count() > before


def _merge(records):
    keep = PersonFactory(full_name="Жумагулов Болат")
    merge = PersonFactory(full_name="Zhumagulov Bolat")
    data = {"first": keep.uid, "second": merge.uid, "keep": keep.uid}
    return (
        reverse("cases:person-duplicates"),
        data,
        lambda: Person.objects.get(pk=merge.pk).is_deleted,
    )


def _queue(records):
    definition("osce-odihr")
    data = {"definition": "osce-odihr", "period_start": "2019-01-01", "period_end": "2019-03-31"}
    before = Report.objects.count()
    return reverse("reports:report-queue"), data, lambda: Report.objects.count() > before


def _approve(records):
    report = _report()
    return (
        reverse("reports:report-approve", args=[report.uid]),
        {},
        lambda: Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED,
    )


def _submitted(records):
    report = _report(ReportStatus.APPROVED)
    data = {"sent_on": "2019-03-05", "reference": "G/SO 214", "message": "Submitted on the portal."}
    return (
        reverse("reports:report-submit", args=[report.uid]),
        data,
        lambda: report.interventions.exists(),
    )


def _response(records):
    from reports.models import Intervention

    report = _report(ReportStatus.SENT)
    intervention = Intervention.objects.create(
        report=report, recipient=report.definition.recipient, channel="portal", sent_on=dt.date(2019, 3, 5)
    )
    data = {"response": "pledged", "response_on": "2019-03-20", "reference": "", "notes": ""}
    return (
        reverse("reports:intervention-response", args=[intervention.uid]),
        data,
        lambda: Intervention.objects.get(pk=intervention.pk).response == "pledged",
    )


SETUPS = {
    "fast entry (save a detention)": _fast_entry,
    "merge two people": _merge,
    "queue a report": _queue,
    "approve a report": _approve,
    "mark a report submitted": _submitted,
    "record a body's response": _response,
}


@pytest.mark.parametrize("action", POST_ACTIONS)
def test_page_post(action, records, client_as, media, django_capture_on_commit_callbacks):
    got, expected = {}, {}
    for role in ROLES:
        url, data, written = SETUPS[action](records)  # fresh rows for each role
        with django_capture_on_commit_callbacks():  # a queued report's compile is not run here
            outcome = _outcome(client_as(role).post(url, data))
        # 200 is the lawyer on the queue form: a periodic report is not theirs to queue; the form comes back.
        got[role] = (outcome, written())
        expected[role] = (_expected(POST_ACTIONS[action], role), _expected(POST_ACTIONS[action], role) == 302)
    assert got == expected
