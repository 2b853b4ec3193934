"""core.services.api_key_create / api_key_revoke: the rules of issuing keys, and the audit trail."""

import pytest

from core.models import ApiKey, AuditEntry
from core.services import ApiKeyError, api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db


def test_a_staff_key_is_issued_by_an_administrator_and_audited(administrator, monitor):
    api_key, key = api_key_create(
        partner=None, user=monitor, scope="write", expires_at=None, created_by=administrator
    )

    assert ApiKey.objects.get_from_key(key) == api_key
    entry = AuditEntry.objects.get(action="kuzet.api_key.created")
    assert entry.actor == administrator
    assert entry.data["user"] == "monitor"


def test_neither_partner_nor_user_is_refused(administrator):
    with pytest.raises(ApiKeyError, match=r"either to a partner or to a staff user"):
        api_key_create(partner=None, user=None, scope="read", expires_at=None, created_by=administrator)


def test_a_partner_key_for_the_partner_persona_reuses_its_account(partner, administrator):
    partner.username = "partner-testwatch"
    partner.save()

    api_key, _key = api_key_create(
        partner="Testwatch", scope="read", expires_at=None, created_by=administrator
    )

    assert api_key.user == partner


def test_a_disabled_staff_user_gets_no_key(monitor, administrator):
    monitor.is_active = False
    monitor.save()
    with pytest.raises(ApiKeyError, match=r"monitor is not an active staff user"):
        api_key_create(partner=None, user=monitor, scope="read", expires_at=None, created_by=administrator)
    assert ApiKey.objects.count() == 0


def test_a_revoked_key_is_revoked_for_good_and_audited(monitor, administrator):
    api_key, key = api_key_create(partner=None, user=monitor, scope="read", expires_at=None, created_by=None)

    api_key_revoke(api_key=api_key, by=administrator)
    api_key_revoke(api_key=api_key, by=administrator)

    api_key.refresh_from_db()
    assert api_key.revoked is True
    with pytest.raises(ApiKey.DoesNotExist):
        ApiKey.objects.get_from_key(key)
    entries = AuditEntry.objects.filter(action="kuzet.api_key.revoked")
    assert [(e.actor, e.data["prefix"]) for e in entries] == [(administrator, api_key.prefix)]
