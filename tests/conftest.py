"""Personas, one per role (hc `hc/test.py`): monitor, lawyer, analyst, administrator, partner, plus an
outsider (a signed-in user with no role) and a second monitor who creates restricted records."""

import pytest
from django.contrib.auth.models import Group

from core.roles import Role

PASSWORD = "correct-horse-battery-staple-42"


def _user(django_user_model, username: str, role: str | None, *, staff: bool = True):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, is_staff=staff)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def monitor(django_user_model):
    return _user(django_user_model, "monitor", Role.MONITOR)


@pytest.fixture
def other_monitor(django_user_model):
    """The creator of restricted records that `monitor` must not see."""
    return _user(django_user_model, "other_monitor", Role.MONITOR)


@pytest.fixture
def lawyer(django_user_model):
    return _user(django_user_model, "lawyer", Role.LAWYER)


@pytest.fixture
def analyst(django_user_model):
    return _user(django_user_model, "analyst", Role.ANALYST)


@pytest.fixture
def administrator(django_user_model):
    return _user(django_user_model, "administrator", Role.ADMINISTRATOR)


@pytest.fixture
def partner(django_user_model):
    return _user(django_user_model, "partner", Role.PARTNER, staff=False)


@pytest.fixture
def outsider(django_user_model):
    return _user(django_user_model, "outsider", None, staff=False)


@pytest.fixture
def staff_outsider(django_user_model):
    """Staff flag but no role: can reach the admin, must see no case data."""
    return _user(django_user_model, "staff_outsider", None)
