"""An administrator resets a user's two-factor authentication (a lost phone) from the user list: the user's
authenticator and recovery codes are gone, their next request asks them to enrol again, and the reset is
in the audit trail."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEntry
from tests.core.two_factor_helpers import authenticator, verify

pytestmark = pytest.mark.django_db

USERS = reverse("admin:auth_user_changelist")


def _reset(client, *users):
    return client.post(
        USERS,
        {"action": "reset_two_factor", "_selected_action": [user.pk for user in users]},
        follow=True,
    )


def test_an_administrator_resets_a_lost_phone_and_it_is_audited(
    settings, administrator, monitor, lawyer, client
):
    settings.REQUIRE_2FA = True
    device = authenticator(monitor)
    authenticator(lawyer)
    monitor_browser = Client()
    monitor_browser.force_login(monitor)
    verify(monitor_browser, device)
    admin_device = authenticator(administrator)
    client.force_login(administrator)
    verify(client, admin_device)

    response = _reset(client, monitor)

    assert [str(m) for m in response.context["messages"]] == [
        "Two-factor authentication reset for 1 user: they set it up again at next sign-in."
    ]
    assert not TOTPDevice.objects.filter(user=monitor).exists()
    assert not StaticDevice.objects.filter(user=monitor).exists()
    assert not StaticToken.objects.filter(device__user=monitor).exists()
    assert TOTPDevice.objects.filter(user=lawyer).exists()  # only the one selected
    entry = AuditEntry.objects.get(action="kuzet.two_factor.reset")
    assert (entry.actor, entry.data) == (administrator, {"user_id": monitor.pk, "username": "monitor"})
    # The monitor's session, verified by the removed device, now leads to enrolment.
    assert monitor_browser.get("/search/")["Location"] == f"{reverse('two_factor:enrol')}?next=%2Fsearch%2F"


def test_the_action_is_offered_on_the_user_list(administrator, client):
    client.force_login(administrator)

    page = client.get(USERS)

    assert "reset_two_factor" in dict(page.context["action_form"].fields["action"].choices)


@pytest.mark.parametrize("role", ["monitor", "lawyer", "analyst"])
def test_other_roles_cannot_reset(role, request, administrator, client):
    authenticator(administrator)
    client.force_login(request.getfixturevalue(role))

    response = _reset(client, administrator)

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=administrator).exists()
    assert not AuditEntry.objects.filter(action="kuzet.two_factor.reset").exists()
