"""Every admin page loads for the roles that may see it, in a number of queries that does not grow with the
rows; a record the user may not see stays unconfirmed on every admin page, list and choice."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Detention
from core.models import Confidentiality
from tests.admin_forms import form_data, without_templates
from tests.cases.factories import DetentionFactory
from tests.conftest import PASSWORD
from tests.core.admin_rows import make_rows
from tests.events.factories import AssemblyFactory
from tests.people.factories import PersonFactory

STAFF = ("monitor", "lawyer", "analyst", "administrator")
EVERY_STAFF_ROLE = frozenset(STAFF)
EDITORS = frozenset({"monitor", "lawyer", "administrator"})
ADMINISTRATOR = frozenset({"administrator"})
NOBODY = frozenset()
SUPERUSER = frozenset({"superuser"})

# model: (roles that may view it, roles that may add it, query bounds for the list, change and add pages).
# The bounds are what was measured (the same on SQLite and PostgreSQL, for 3 rows and for 30), plus 2.
PAGES = {
    "people.person": (EVERY_STAFF_ROLE, EDITORS, (10, 24, 8)),  # change +1: the read log's INSERT
    "people.grouptag": (EVERY_STAFF_ROLE, ADMINISTRATOR, (9, 8, 6)),
    "events.place": (EVERY_STAFF_ROLE, ADMINISTRATOR, (9, 9, 6)),
    "events.causetag": (EVERY_STAFF_ROLE, ADMINISTRATOR, (9, 8, 6)),
    "events.assembly": (EVERY_STAFF_ROLE, EDITORS, (12, 20, 8)),
    "events.incident": (EVERY_STAFF_ROLE, EDITORS, (11, 15, 8)),
    "events.source": (EVERY_STAFF_ROLE, EDITORS, (11, 11, 7)),
    "cases.detention": (EVERY_STAFF_ROLE, EDITORS, (12, 21, 8)),
    "cases.legalcase": (EVERY_STAFF_ROLE, frozenset({"lawyer", "administrator"}), (15, 29, 8)),
    "cases.legalarticle": (EVERY_STAFF_ROLE, ADMINISTRATOR, (9, 8, 6)),
    "cases.treatment": (EVERY_STAFF_ROLE, ADMINISTRATOR, (9, 8, 6)),
    "cases.custodycredit": (EVERY_STAFF_ROLE, ADMINISTRATOR, (9, 8, 6)),
    "cases.appealterm": (EVERY_STAFF_ROLE, ADMINISTRATOR, (9, 8, 6)),
    "reports.reportdefinition": (EVERY_STAFF_ROLE, frozenset({"analyst", "administrator"}), (9, 8, 6)),
    # Reports are queued from the Reports page (which numbers the version and starts the compile), and
    # interventions recorded by sending one: neither is added in the admin.
    "reports.report": (EVERY_STAFF_ROLE, NOBODY, (12, 9, 7)),
    "reports.intervention": (EVERY_STAFF_ROLE, NOBODY, (12, 12, 7)),
    "core.auditentry": (ADMINISTRATOR, NOBODY, (13, 8, 4)),
    "core.readlogentry": (ADMINISTRATOR, NOBODY, (13, 8, 4)),
    "core.apikey": (ADMINISTRATOR, ADMINISTRATOR, (10, 10, 8)),
    "auth.user": (ADMINISTRATOR, ADMINISTRATOR, (10, 12, 6)),
    # django-otp's devices: superusers only (an administrator resets a user's 2FA from the user list), and
    # they never show a secret (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    "otp_totp.totpdevice": (SUPERUSER, SUPERUSER, (7, 7, 4)),
    "otp_static.staticdevice": (SUPERUSER, SUPERUSER, (7, 8, 4)),
    # django-axes: who was locked out (an administrator deletes the row to unlock), and who logged in.
    "axes.accessattempt": (ADMINISTRATOR, NOBODY, (13, 10, 4)),
    "axes.accesslog": (ADMINISTRATOR, NOBODY, (13, 10, 4)),
    "axes.accessfailurelog": (ADMINISTRATOR, NOBODY, (13, 10, 4)),
    "auth.group": (ADMINISTRATOR, NOBODY, (9, 58, 6)),  # the permission picker lists every permission
    # Imports: monitors and lawyers see their own only (tests/exchange); uploads use "Import detentions".
    "exchange.importbatch": (ADMINISTRATOR, NOBODY, (10, 9, 4)),
    # When the urgent alerts and the periodic reports run (django-celery-beat's own admin).
    "django_celery_beat.periodictask": (ADMINISTRATOR, ADMINISTRATOR, (13, 14, 12)),
    "django_celery_beat.intervalschedule": (ADMINISTRATOR, ADMINISTRATOR, (10, 10, 7)),
    "django_celery_beat.crontabschedule": (ADMINISTRATOR, ADMINISTRATOR, (10, 10, 7)),
    "django_celery_beat.solarschedule": (ADMINISTRATOR, ADMINISTRATOR, (10, 10, 7)),
    "django_celery_beat.clockedschedule": (ADMINISTRATOR, ADMINISTRATOR, (10, 10, 7)),
}


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("superuser", password=PASSWORD)


def _url(label: str, page: str, *args) -> str:
    app_label, model_name = label.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{page}", args=args)


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_every_registered_admin_model_is_covered():
    assert {model._meta.label_lower for model in admin.site._registry} == set(PAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    ("label", "role"), [(label, role) for label, (viewers, *_) in PAGES.items() for role in sorted(viewers)]
)
def test_admin_pages_load_for_a_role_that_may_view_them_within_a_query_bound(
    label, role, rows, request, client, django_assert_max_num_queries
):
    _viewers, adders, (list_bound, change_bound, add_bound) = PAGES[label]
    record = make_rows(label, rows)
    client.force_login(request.getfixturevalue(role))
    client.get(reverse("admin:index"))  # a first page, so that the bounds count the page alone

    with django_assert_max_num_queries(list_bound):
        response = client.get(_url(label, "changelist"))
    assert response.status_code == 200
    with django_assert_max_num_queries(change_bound):
        response = client.get(_url(label, "change", record.pk))
    assert response.status_code == 200
    with django_assert_max_num_queries(add_bound):
        response = client.get(_url(label, "add"))
    assert response.status_code == (200 if role in adders else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["people.person", "events.assembly", "cases.detention", "cases.legalcase"])
def test_list_and_change_pages_cost_the_same_queries_for_3_rows_as_for_30(label, lawyer, client):
    """Each row of the list, and each row the record's page lists (a person's detentions and cases, an
    assembly's detainees, a detention's custody periods, a case's charges and sentences), costs no query."""
    client.force_login(lawyer)
    record = make_rows(label, 3)
    client.get(_url(label, "changelist"))
    client.get(_url(label, "change", record.pk))  # warms the process-wide content-type cache
    few = (
        _count_queries(client, _url(label, "changelist")),
        _count_queries(client, _url(label, "change", record.pk)),
    )
    record = make_rows(label, 30)
    many = (
        _count_queries(client, _url(label, "changelist")),
        _count_queries(client, _url(label, "change", record.pk)),
    )
    assert few == many


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["core.auditentry", "core.readlogentry", "auth.user", "auth.group"])
@pytest.mark.parametrize("role", ["monitor", "lawyer", "analyst"])
def test_a_role_without_the_view_permission_gets_403(label, role, request, client):
    client.force_login(request.getfixturevalue(role))
    assert client.get(_url(label, "changelist")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["people.person", "events.assembly", "cases.detention", "cases.legalcase"])
def test_staff_without_a_role_gets_403_on_case_records(label, staff_outsider, client):
    record = make_rows(label, 1)
    client.force_login(staff_outsider)
    assert client.get(_url(label, "changelist")).status_code == 403
    assert client.get(_url(label, "change", record.pk)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["partner", "outsider"])
def test_a_user_who_is_not_staff_is_sent_to_the_admin_login(persona, request, client):
    client.force_login(request.getfixturevalue(persona))
    url = _url("people.person", "changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


@pytest.fixture
def hidden_person(other_monitor):
    """Another monitor's restricted person, with a detention: `monitor` must not learn they exist."""
    person = PersonFactory(
        full_name="Hiddenova Zarina", confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    DetentionFactory(person=person, created_by=other_monitor)
    return person


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_a_record_the_user_may_not_see_answers_as_a_missing_one(page, hidden_person, monitor, client):
    client.force_login(monitor)
    response = client.get(_url("people.person", page, hidden_person.pk), follow=True)
    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"person with ID “{hidden_person.pk}” doesn’t exist. Perhaps it was deleted?"
    ]
    assert "Hiddenova" not in response.content.decode()


@pytest.mark.django_db
def test_a_detention_of_a_person_the_user_may_not_see_answers_as_a_missing_one(
    hidden_person, monitor, client
):
    detention = hidden_person.detentions.get()
    client.force_login(monitor)
    response = client.get(_url("cases.detention", "change", detention.pk), follow=True)
    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    assert "Hiddenova" not in response.content.decode()


@pytest.mark.django_db
def test_a_put_or_delete_without_the_csrf_token_is_refused_and_changes_nothing(monitor):
    person = PersonFactory(full_name="Testova Aigerim", created_by=monitor)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(monitor)
    for method, page in [("put", "change"), ("delete", "change"), ("delete", "delete")]:
        response = getattr(browser, method)(_url("people.person", page, person.pk), data="full_name=Changed")
        assert response.status_code == 403
        assert "CSRF verification failed" in response.content.decode()
    person.refresh_from_db()
    assert (person.full_name, person.is_deleted) == ("Testova Aigerim", False)


@pytest.mark.django_db
def test_a_delete_request_on_the_delete_page_only_shows_the_confirmation(monitor, client):
    """Django's admin answers any method but POST as a GET: the page, never the action."""
    person = PersonFactory(full_name="Testova Aigerim", created_by=monitor)
    client.force_login(monitor)
    response = client.delete(_url("people.person", "delete", person.pk))
    assert response.status_code == 200
    assert "Are you sure" in response.content.decode()
    person.refresh_from_db()
    assert person.is_deleted is False


@pytest.mark.django_db
def test_autocomplete_answers_405_to_a_post(monitor, client):
    client.force_login(monitor)
    response = client.post(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "detention", "field_name": "person"},
    )
    assert response.status_code == 405


@pytest.mark.django_db
def test_the_person_list_never_shows_another_monitors_restricted_person(hidden_person, monitor, client):
    own = PersonFactory(
        full_name="Ownova Saule", confidentiality=Confidentiality.RESTRICTED, created_by=monitor
    )
    shared = PersonFactory(full_name="Sharedov Daulet", confidentiality=Confidentiality.RESTRICTED)
    shared.shared_with.add(monitor)
    client.force_login(monitor)

    listing = client.get(_url("people.person", "changelist"))
    searched = client.get(_url("people.person", "changelist"), {"q": "Hiddenova"})

    assert set(listing.context["cl"].result_list) == {own, shared}
    assert "Hiddenova" not in listing.content.decode()
    assert list(searched.context["cl"].result_list) == []


@pytest.mark.django_db
def test_the_person_autocomplete_never_offers_another_monitors_restricted_person(
    hidden_person, monitor, client
):
    PersonFactory(full_name="Hiddenova Dana", confidentiality=Confidentiality.INTERNAL)
    client.force_login(monitor)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "detention", "field_name": "person", "term": "Hiddenova"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Hiddenova Dana"]


@pytest.mark.django_db
def test_the_detention_form_never_offers_another_monitors_restricted_assembly(other_monitor, monitor, client):
    hidden = AssemblyFactory(
        title="Hidden rally", confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    visible = AssemblyFactory(title="Open rally")
    person = PersonFactory(created_by=monitor)
    client.force_login(monitor)

    page = client.get(_url("cases.detention", "add"))
    choices = page.context["adminform"].form.fields["assembly"].queryset
    offered = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "detention", "field_name": "assembly", "term": "rally"},
    ).json()["results"]
    data = without_templates(form_data(page))
    data.update(person=person.pk, assembly=hidden.pk, detained_at_0="2022-01-05", detained_at_1="10:00")
    posted = client.post(_url("cases.detention", "add"), data)

    assert list(choices) == [visible]
    assert [result["id"] for result in offered] == [str(visible.pk)]
    assert posted.status_code == 200
    assert posted.context["adminform"].form.errors["assembly"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Detention.objects.filter(assembly=hidden).exists()


# The versions of a case record (core.history_admin): query bounds for its History page and for one version's
# page, as measured (the same on SQLite and PostgreSQL), plus 2.
HISTORY_PAGES = {
    # History: +1 per kind of row edited on the page (names and consents; custody; charges, sentences,
    # hearings and appeals), +1 per many-to-many field of the record and of those rows (their links).
    "people.person": (16, 10),
    "events.assembly": (14, 9),
    "events.incident": (13, 9),
    "events.source": (12, 9),
    "cases.detention": (16, 10),
    "cases.legalcase": (27, 13),
}


def test_every_admin_with_a_history_page_is_covered():
    from core.history_admin import RecordHistoryAdmin

    with_history = {
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, RecordHistoryAdmin)
    }
    assert with_history == set(HISTORY_PAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("label", HISTORY_PAGES)
def test_history_pages_load_within_a_query_bound(label, administrator, client, django_assert_max_num_queries):
    history_bound, version_bound = HISTORY_PAGES[label]
    record = make_rows(label, 3)
    version = type(record).history.filter(id=record.pk).latest("history_id")
    client.force_login(administrator)
    client.get(reverse("admin:index"))

    with django_assert_max_num_queries(history_bound):
        response = client.get(_url(label, "history", record.pk))
    assert response.status_code == 200
    with django_assert_max_num_queries(version_bound):
        response = client.get(_url(label, "simple_history", record.pk, version.history_id))
    assert response.status_code == 200
