"""The API key admin: administrators only; a new key is shown once, in a message, and only its hash is
stored; keys are revoked (audited), never deleted or edited back to life."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import ApiKey, AuditEntry
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:core_apikey_changelist")
ADD = reverse("admin:core_apikey_add")


def _change(api_key) -> str:
    return reverse("admin:core_apikey_change", args=(api_key.pk,))


def _add(client, **fields):
    data = {k: v[0] for k, v in form_data(client.get(ADD), "apikey_form").items()}
    data.update({"expiry_date_0": "", "expiry_date_1": "", **fields})
    return client.post(ADD, data, follow=True)


def _shown_key(response) -> str:
    (warning,) = [str(m) for m in get_messages(response.wsgi_request) if "shown only once" in str(m)]
    return re.search(r"is: (\S+)", warning).group(1)


@pytest.fixture
def keys(monitor, partner):
    return [
        ApiKey.objects.create_key(name="Testwatch Foundation", user=partner)[0],
        ApiKey.objects.create_key(name="monitor's script", user=monitor, scope="write")[0],
    ]


def test_an_administrator_lists_keys_without_their_hashes(keys, administrator, client):
    client.force_login(administrator)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Name", "Acts as", "Scope", "Prefix", "Created", "Expires", "Last used", "Revoked"):
        assert label in html
    assert {k.prefix for k in keys} <= set(re.findall(r">([A-Za-z0-9]{8})<", html))
    assert "Hashed key" not in html


def test_a_partner_key_added_in_the_admin_is_shown_once_and_works(administrator, client):
    client.force_login(administrator)

    response = _add(client, partner="Testwatch Foundation", scope="read")

    assert response.redirect_chain[-1] == (CHANGELIST, 302)
    key = _shown_key(response)
    api_key = ApiKey.objects.get_from_key(key)
    assert api_key.user.username == "partner-testwatch-foundation"
    assert api_key.name == "Testwatch Foundation"
    assert AuditEntry.objects.get(action="kuzet.api_key.created").actor == administrator
    assert key not in client.get(CHANGELIST).content.decode()
    assert key not in client.get(_change(api_key)).content.decode()
    assert (
        "sha512" not in client.get(_change(api_key)).content.decode().split("<form", 1)[1].split("</form>")[0]
    )


def test_a_staff_key_added_in_the_admin_acts_as_the_chosen_user(administrator, lawyer, client):
    client.force_login(administrator)

    response = _add(client, user=str(lawyer.pk), scope="write", name="lawyer's import")

    api_key = ApiKey.objects.get_from_key(_shown_key(response))
    assert (api_key.user, api_key.scope, api_key.name) == (lawyer, "write", "lawyer's import")


def test_a_partner_key_with_write_scope_is_refused_in_the_form(administrator, client):
    client.force_login(administrator)

    response = _add(client, partner="Testwatch Foundation", scope="write")

    assert response.status_code == 200
    assert "Partner keys are read-only" in response.content.decode()
    assert ApiKey.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_key_for_neither_a_partner_nor_a_user_is_refused_in_the_form(administrator, client):
    client.force_login(administrator)

    response = _add(client, scope="read")

    assert "either to a partner or to a staff user" in response.content.decode()
    assert ApiKey.objects.count() == 0


def test_the_revoke_action_revokes_and_audits(keys, administrator, client):
    client.force_login(administrator)

    response = client.post(
        CHANGELIST, {"action": "revoke_selected", "_selected_action": [keys[0].pk]}, follow=True
    )

    assert "1 API key revoked." in [str(m) for m in response.context["messages"]]
    keys[0].refresh_from_db()
    keys[1].refresh_from_db()
    assert (keys[0].revoked, keys[1].revoked) == (True, False)
    entry = AuditEntry.objects.get(action="kuzet.api_key.revoked")
    assert (entry.actor, entry.data["prefix"]) == (administrator, keys[0].prefix)


def test_a_revoked_key_cannot_be_changed_back(keys, administrator, client):
    ApiKey.objects.filter(pk=keys[0].pk).update(revoked=True)
    client.force_login(administrator)

    response = client.get(_change(keys[0]))

    assert response.status_code == 200
    assert form_data(response, "apikey_form").keys() <= {"csrfmiddlewaretoken"}


def test_an_administrator_may_rename_a_key_and_the_change_is_audited(keys, administrator, client):
    client.force_login(administrator)
    data = {k: v[0] for k, v in form_data(client.get(_change(keys[1])), "apikey_form").items()}

    client.post(_change(keys[1]), {**data, "name": "monitor's new script"})

    keys[1].refresh_from_db()
    assert keys[1].name == "monitor's new script"
    assert (keys[1].scope, keys[1].user.username) == ("write", "monitor")
    assert AuditEntry.objects.get(action="kuzet.api_key.updated").data["fields"] == ["name"]


def test_keys_are_never_deleted(keys, administrator, client):
    client.force_login(administrator)
    assert client.get(reverse("admin:core_apikey_delete", args=(keys[0].pk,))).status_code == 403
    assert "delete_selected" not in client.get(CHANGELIST).content.decode()


@pytest.mark.parametrize("role", ["monitor", "lawyer", "analyst", "staff_outsider"])
def test_other_staff_get_403(role, keys, request, client):
    client.force_login(request.getfixturevalue(role))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.get(_change(keys[0])).status_code == 403
