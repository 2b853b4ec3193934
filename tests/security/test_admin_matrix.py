"""The permission matrix through the staff admin: every role × every model × view / add / change / delete.

The expected outcomes are written out below, not computed from core/roles.py, so that a change to a role's
permissions fails here until the table is changed with it. An allowed action works (the page answers 200, a
POST redirects and the database changed); a refused one answers 403 and writes nothing. Anonymous users
and partners (not staff) are sent to the admin login for every page. The row visibility inside each list
is tests/core/test_admin_pages.py's and tests/core/test_visibility.py's subject; IDOR probes are in
test_idor.py."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.roles import ROLE_PERMISSIONS, Role
from tests.admin_forms import form_data, without_templates
from tests.core.admin_rows import make_rows
from tests.security.conftest import ROLES

pytestmark = pytest.mark.django_db

# model: {role: what the role may do: v(iew) a(dd) c(hange) d(elete)}; a role not named may do nothing.
# Deleting a case record is a soft delete (is_deleted); reports, interventions, definitions, API keys,
# users and the logs are never deleted in the admin.
_EDITORS = {"monitor": "vacd", "lawyer": "vacd", "analyst": "v", "administrator": "vacd"}
_REFERENCE = {"monitor": "v", "lawyer": "v", "analyst": "v", "administrator": "vacd"}
EXPECTED = {
    "people.person": _EDITORS,
    "events.assembly": _EDITORS,
    "events.incident": _EDITORS,
    "events.source": _EDITORS,
    "cases.detention": _EDITORS,
    "cases.legalcase": {"monitor": "v", "lawyer": "vacd", "analyst": "v", "administrator": "vacd"},
    "people.grouptag": _REFERENCE,
    "events.place": _REFERENCE,
    "events.causetag": _REFERENCE,
    "cases.legalarticle": _REFERENCE,
    "cases.treatment": _REFERENCE,
    "cases.custodycredit": _REFERENCE,
    "cases.appealterm": _REFERENCE,
    "reports.reportdefinition": {"monitor": "v", "lawyer": "v", "analyst": "vac", "administrator": "vac"},
    "reports.report": {"monitor": "v", "lawyer": "v", "analyst": "vc", "administrator": "vc"},
    "reports.intervention": {"monitor": "v", "lawyer": "v", "analyst": "vc", "administrator": "vc"},
    "core.apikey": {"administrator": "vac"},
    "core.auditentry": {"administrator": "v"},
    "core.readlogentry": {"administrator": "v"},
    "auth.user": {"administrator": "vac"},
}

# The records a role may change through its parent's page (inlines), by parent page: {inline model:
# {role: "edit" | "view"}}. Names and consents are a person's; custody periods a detention's; charges,
# sentences, hearings and appeals a case's.
INLINES = {
    "people.person": {
        "people.personname": {
            "monitor": "edit",
            "lawyer": "edit",
            "analyst": "view",
            "administrator": "edit",
        },
        "people.consentrecord": {
            "monitor": "edit",
            "lawyer": "edit",
            "analyst": "view",
            "administrator": "edit",
        },
    },
    "cases.detention": {
        "cases.custodyperiod": {
            "monitor": "edit",
            "lawyer": "edit",
            "analyst": "view",
            "administrator": "edit",
        },
    },
    "cases.legalcase": {
        label: {"monitor": "view", "lawyer": "edit", "analyst": "view", "administrator": "edit"}
        for label in ("cases.charge", "cases.sentence", "cases.hearing", "cases.appeal")
    },
}

# A field each change POST sets, to see the database change (or not). None: the page has nothing a user
# edits on the record itself (a report's files and figures are what was compiled).
CHANGED = {
    "people.person": ("full_name", "Changedova Aliya"),
    "events.assembly": ("title", "Changed rally"),
    "events.incident": ("title", "Changed shutdown"),
    "events.source": ("title", "Changed article"),
    "cases.detention": ("notes", "changed notes"),
    "cases.legalcase": ("number", "CHANGED-1"),
    "people.grouptag": ("name_en", "Changed tag"),
    "events.place": ("name_en", "Changedplace"),
    "events.causetag": ("name_en", "Changed cause"),
    "cases.legalarticle": ("name_en", "Changed article"),
    "cases.treatment": ("name_en", "Changed treatment"),
    "cases.custodycredit": ("days_per_custody_day", "2.00"),
    "cases.appealterm": ("days", "16"),
    "reports.reportdefinition": ("name", "Changed definition"),
    "reports.report": None,
    "reports.intervention": ("reference", "CHANGED/1"),
    "core.apikey": ("name", "Changed key"),
    "core.auditentry": None,
    "core.readlogentry": None,
    "auth.user": ("first_name", "Changedname"),
}

# What an add POST fills in beyond the add page's own defaults, for each model a role may add. The two
# tables keyed by a choice (custody credits, appeal terms) are full from their migration: adding is allowed
# but every value already has its row, so there the add page is only opened.
_PLACE_FIELDS = {"code": "matrix-place", "name_en": "Matrixplace", "kind": "city"}


def _add_data(label: str) -> dict | None:
    """The fields an add POST fills in, made at call time (some name rows the test makes)."""
    from tests.events.factories import PlaceFactory
    from tests.people.factories import PersonFactory

    match label:
        case "people.person":
            return {"full_name": "Addova Zhanar"}
        case "events.assembly":
            return {
                "title": "Added rally",
                "kind": "rally",
                "starts_at_0": "2019-02-27",
                "starts_at_1": "11:00",
                "place": str(PlaceFactory().pk),
            }
        case "events.incident":
            return {"title": "Added shutdown", "kind": "internet_shutdown", "starts_on": "2019-02-16"}
        case "events.source":
            return {"title": "Added article", "kind": "media", "url": "https://example.org/added"}
        case "cases.detention":
            return {
                "person": str(PersonFactory().pk),
                "detained_at_0": "2019-02-27",
                "detained_at_1": "12:00",
                "notes": "added notes",
            }
        case "cases.legalcase":
            return {"person": str(PersonFactory().pk), "kind": "criminal", "number": "ADDED-1"}
        case "people.grouptag" | "events.causetag" | "cases.treatment":
            return {"code": "matrix-added", "name_en": "Added"}
        case "events.place":
            return dict(_PLACE_FIELDS)
        case "cases.legalarticle":
            return {"code": "cc-matrix", "law": "CC", "number": "999", "name_en": "Added article"}
        case "reports.reportdefinition":
            return {"name": "Added definition", "slug": "added-definition", "recipient": "un_wgad"}
        case "core.apikey":
            return {
                "name": "Added key",
                "user": str(get_user_model().objects.get(username="administrator").pk),
            }
        case "auth.user":
            return {
                "username": "addeduser",
                "usable_password": "false",
            }
    return None


def _url(label: str, page: str, *args) -> str:
    app_label, model_name = label.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{page}", args=args)


def _model(label: str):
    return apps.get_model(label)


def _row(label):
    """The row a test opens: a plain factory row for the case records (one row is all the matrix needs),
    tests/core/admin_rows.py's makers for the rest."""
    from tests.cases.factories import DetentionFactory, LegalCaseFactory
    from tests.events.factories import AssemblyFactory, IncidentFactory, SourceFactory
    from tests.people.factories import PersonFactory

    plain = {
        "people.person": PersonFactory,
        "events.assembly": AssemblyFactory,
        "events.incident": IncidentFactory,
        "events.source": SourceFactory,
        "cases.detention": DetentionFactory,
        "cases.legalcase": LegalCaseFactory,
    }
    return plain[label]() if label in plain else make_rows(label, 1)


def _value(row, field):
    value = getattr(row, field)
    return str(value)


def _roles_of(label: str) -> list[tuple[str, str]]:
    """The staff roles one by one; anonymous and the partner (both sent to the login page) together."""
    return [(label, role) for role in ROLES if role not in ("anonymous", "partner")] + [(label, "outside")]


def test_every_model_named_in_the_issue_is_in_the_matrix():
    """Every case, reference, report and access model registered in the admin is covered (the schedules,
    imports, django-axes' rows and the 2FA devices are administrators' tools, with tests of their own)."""
    tools = {"django_celery_beat", "axes", "exchange", "otp_totp", "otp_static"}
    registered = {m._meta.label_lower for m in admin.site._registry if m._meta.app_label not in tools}
    assert registered - {"auth.group"} == set(EXPECTED)


def test_the_matrix_agrees_with_the_role_permissions():
    """The written-out table and core/roles.py say the same for the models the role grants directly; a
    difference means one of them changed without the other."""
    for label, allowed in EXPECTED.items():
        app_label, model_name = label.split(".")
        for role in ("monitor", "lawyer", "analyst", "administrator"):
            granted = ROLE_PERMISSIONS[Role(role.capitalize())]
            may_view = f"{app_label}.view_{model_name}" in granted
            assert ("v" in allowed.get(role, "")) == may_view, (label, role)


@pytest.mark.parametrize(("label", "role"), [pair for label in EXPECTED for pair in _roles_of(label)])
def test_admin_view_add_change_delete(label, role, client_as, request):
    allowed = EXPECTED[label].get(role, "")
    model = _model(label)
    row = _row(label)
    clients = [client_as("anonymous"), client_as("partner")] if role == "outside" else [client_as(role)]
    before = model._base_manager.count()

    if role == "outside":  # anonymous and the partner: the login page for every page and every POST
        for client in clients:
            for url in (_url(label, "changelist"), _url(label, "add"), _url(label, "change", row.pk)):
                response = client.get(url)
                assert response.status_code == 302
                assert response["Location"].startswith(reverse("admin:login"))
            response = client.post(_url(label, "delete", row.pk), {"post": "yes"})
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))
        assert model._base_manager.count() == before
        assert not getattr(model._base_manager.get(pk=row.pk), "is_deleted", False)
        return
    [client] = clients

    # view
    for url in (_url(label, "changelist"), _url(label, "change", row.pk)):
        assert client.get(url).status_code == (200 if "v" in allowed else 403), url

    # add
    add_page = client.get(_url(label, "add"))
    assert add_page.status_code == (200 if "a" in allowed else 403)
    extra = _add_data(label) if "a" in allowed else {"name": "Refused"}
    if "a" in allowed and extra is not None:
        data = without_templates(form_data(add_page))
        data.update(extra)
        response = client.post(_url(label, "add"), data)
        assert response.status_code == 302, response.context and response.context["adminform"].form.errors
        assert model._base_manager.count() == before + 1
    elif "a" not in allowed:
        assert client.post(_url(label, "add"), extra).status_code == 403
        assert model._base_manager.count() == before
    before = model._base_manager.count()

    # change
    changed = CHANGED[label]
    if "c" in allowed:
        page = client.get(_url(label, "change", row.pk))
        data = without_templates(form_data(page))
        if changed:
            data[changed[0]] = changed[1]
        response = client.post(_url(label, "change", row.pk), data)
        assert response.status_code == 302, response.context and response.context["adminform"].form.errors
        if changed:
            assert _value(model._base_manager.get(pk=row.pk), changed[0]) == changed[1]
    else:
        field, value = changed or ("pk", "")
        original = _value(row, field)
        assert client.post(_url(label, "change", row.pk), {field: value}).status_code == 403
        assert _value(model._base_manager.get(pk=row.pk), field) == original

    # delete
    response = client.post(_url(label, "delete", row.pk), {"post": "yes"})
    if "d" in allowed:
        assert response.status_code == 302
        fresh = model._base_manager.filter(pk=row.pk).first()
        if hasattr(model, "is_deleted"):  # a case record: hidden, restorable
            assert fresh.is_deleted
            assert model._base_manager.count() == before
        else:  # reference data: gone
            assert fresh is None
            assert model._base_manager.count() == before - 1
    else:
        assert response.status_code == 403
        fresh = model._base_manager.get(pk=row.pk)
        assert not getattr(fresh, "is_deleted", False)
        assert model._base_manager.count() == before


@pytest.mark.parametrize("parent", INLINES)
def test_records_edited_on_their_parents_page(parent, records, client_as):
    """Names, consents, custody periods, charges, sentences, hearings and appeals have no admin page of
    their own: the parent's page offers them editable or read-only, by the role's permissions."""
    record = records[parent.split(".")[1]]
    got = {}
    for role in ("monitor", "lawyer", "analyst", "administrator"):
        page = client_as(role).get(_url(parent, "change", record.pk))
        assert page.status_code == 200
        for formset in page.context["inline_admin_formsets"]:
            label = formset.formset.model._meta.label_lower
            may = (
                formset.has_add_permission,
                formset.has_change_permission,
                formset.has_delete_permission,
                formset.has_view_permission,
            )
            if label in INLINES[parent]:
                got[label, role] = {
                    (True, True, True, True): "edit",
                    (False, False, False, True): "view",
                }.get(may, may)
    expected = {(label, role): how for label, roles in INLINES[parent].items() for role, how in roles.items()}
    assert got == expected
