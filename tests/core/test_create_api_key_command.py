"""`manage.py create_api_key`: the key is printed once and stored only as a hash; a partner's key is
read-only and acts as the organisation's Partner account; a staff key acts as its user."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core import roles
from core.models import ApiKey, AuditEntry

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _run(*args) -> list[str]:
    out = StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue().splitlines()


def test_a_partner_key_is_printed_once_and_stored_as_a_hash_only():
    key, notice = _run("--partner", "Testwatch Foundation", "--scope", "read")

    api_key = ApiKey.objects.get()
    assert ApiKey.objects.get_from_key(key) == api_key
    assert "only once" in notice
    assert api_key.prefix in notice and key not in notice
    stored = [str(getattr(api_key, f.attname)) for f in ApiKey._meta.concrete_fields]
    assert not any(key in value for value in stored)
    assert api_key.hashed_key.startswith("sha512$$")
    assert api_key.scope == "read"
    assert api_key.name == "Testwatch Foundation"
    assert api_key.expiry_date is None


def test_a_partner_key_acts_as_a_partner_account_that_cannot_sign_in():
    _run("--partner", "Testwatch Foundation")

    user = ApiKey.objects.get().user
    assert user.username == "partner-testwatch-foundation"
    assert user.first_name == "Testwatch Foundation"
    assert roles.is_partner(user)
    assert not roles.is_case_staff(user)
    assert user.is_staff is False
    assert user.has_usable_password() is False


def test_a_partner_may_hold_several_keys_on_one_account():
    first, _ = _run("--partner", "Testwatch Foundation")
    second, _ = _run("--partner", "  Testwatch   Foundation ")

    assert first != second
    assert get_user_model().objects.filter(username__startswith="partner-").count() == 1
    assert ApiKey.objects.filter(user__username="partner-testwatch-foundation").count() == 2


def test_a_cyrillic_partner_name_gets_a_readable_account():
    _run("--partner", "Бюро Тестовое")
    assert ApiKey.objects.get().user.username == "partner-бюро-тестовое"


def test_a_partner_key_with_write_scope_is_refused_and_nothing_is_written():
    with pytest.raises(CommandError, match=r"Partner keys are read-only"):
        _run("--partner", "Testwatch Foundation", "--scope", "write")

    assert ApiKey.objects.count() == 0
    assert not get_user_model().objects.filter(username__startswith="partner-").exists()
    assert AuditEntry.objects.count() == 0


def test_the_creation_is_audited_without_the_key():
    key, _ = _run("--partner", "Testwatch Foundation")

    entry = AuditEntry.objects.get(action="kuzet.api_key.created")
    api_key = ApiKey.objects.get()
    assert entry.object_type == "core.apikey"
    assert entry.data["prefix"] == api_key.prefix
    assert entry.data["user"] == "partner-testwatch-foundation"
    assert entry.data["scope"] == "read"
    assert key not in str(entry.data)


def test_expires_on_a_date_stops_the_key_at_the_start_of_that_day():
    _run("--partner", "Testwatch Foundation", "--expires", "2027-01-01")

    expected = dt.datetime(2027, 1, 1, tzinfo=ZoneInfo("Asia/Almaty"))
    assert ApiKey.objects.get().expiry_date == expected


@time_machine.travel(NOW, tick=False)
def test_days_sets_the_expiry_from_now():
    _key, notice = _run("--partner", "Testwatch Foundation", "--days", "365")

    assert ApiKey.objects.get().expiry_date == NOW + dt.timedelta(days=365)
    assert "expires 2027-03-02" in notice


@time_machine.travel(NOW, tick=False)
def test_an_expiry_in_the_past_is_refused():
    with pytest.raises(CommandError, match=r"The expiry must be in the future\."):
        _run("--partner", "Testwatch Foundation", "--expires", "2026-03-01")
    assert ApiKey.objects.count() == 0


def test_an_expiry_that_is_not_a_date_is_refused():
    with pytest.raises(CommandError, match=r"--expires: '1st of May' is not a date"):
        _run("--partner", "Testwatch Foundation", "--expires", "1st of May")


def test_expires_and_days_cannot_be_given_together():
    with pytest.raises(CommandError, match=r"not allowed with argument"):
        _run("--partner", "Testwatch Foundation", "--expires", "2027-01-01", "--days", "3")


def test_either_a_partner_or_a_user_is_required():
    with pytest.raises(CommandError, match=r"one of the arguments --partner --user is required"):
        _run("--scope", "read")


def test_a_staff_key_acts_as_its_user_and_may_write(lawyer):
    key, _ = _run("--user", "lawyer", "--scope", "write")

    api_key = ApiKey.objects.get_from_key(key)
    assert api_key.user == lawyer
    assert api_key.scope == "write"
    assert api_key.name == "lawyer"


def test_a_key_for_a_user_without_a_staff_role_is_refused(outsider):
    with pytest.raises(CommandError, match=r"outsider is not an active staff user"):
        _run("--user", "outsider")
    assert ApiKey.objects.count() == 0


def test_an_unknown_user_is_refused():
    with pytest.raises(CommandError, match=r"No user named 'nobody'\."):
        _run("--user", "nobody")


def test_a_partner_name_taken_by_a_staff_account_is_refused(django_user_model):
    django_user_model.objects.create_user(username="partner-testwatch", password="x" * 16, is_staff=True)

    with pytest.raises(CommandError, match=r"exists and is not a partner's"):
        _run("--partner", "Testwatch")
    assert ApiKey.objects.count() == 0
