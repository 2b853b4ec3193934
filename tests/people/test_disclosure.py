"""people.disclosure: whose identity leaves the system, and the pseudonym that stands in for it."""

import datetime as dt

import pytest

from core import roles
from people import disclosure
from people.models import Person
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return PersonFactory(full_name="Testova Aizhan Serikovna")


def test_staff_always_see_the_identity(person, monitor, lawyer, analyst, administrator):
    for user in (monitor, lawyer, analyst, administrator):
        assert disclosure.identity_disclosed(person, user=user)
        assert disclosure.display_name(person, user=user) == "Testova Aizhan Serikovna"


def test_partner_without_consent_gets_the_pseudonym(person, partner):
    assert not disclosure.identity_disclosed(person, user=partner)
    assert disclosure.display_name(person, user=partner) == f"Person K-{person.pk:05d}"


def test_active_partners_consent_discloses(person, partner):
    ConsentRecordFactory(person=person, scope="partners")
    assert disclosure.identity_disclosed(person, user=partner)
    assert disclosure.display_name(person, user=partner) == "Testova Aizhan Serikovna"


@pytest.mark.parametrize(
    "consent",
    [
        {"withdrawn_on": dt.date(2020, 1, 2)},
        {"is_deleted": True},
        {"scope": "un"},
    ],
    ids=["withdrawn", "deleted", "other-scope"],
)
def test_consent_that_does_not_count(person, partner, consent):
    ConsentRecordFactory(person=person, given_on=dt.date(2020, 1, 1), **consent)
    assert not disclosure.identity_disclosed(person, user=partner)


def test_scope_is_the_one_asked_for(person):
    ConsentRecordFactory(person=person, scope="un")
    assert disclosure.identity_disclosed(person, user=None, scope="un")
    assert not disclosure.identity_disclosed(person, user=None, scope="partners")


def test_consent_for_initials_only(person, partner):
    ConsentRecordFactory(person=person, full_name_allowed=False)
    assert disclosure.identity_disclosed(person, user=partner)
    assert not disclosure.full_name_allowed(person, user=partner)
    assert disclosure.display_name(person, user=partner) == "T. A. S."


def test_pseudonym_is_stable_and_from_the_id(person):
    again = Person.objects.get(pk=person.pk)
    assert disclosure.pseudonym(person) == disclosure.pseudonym(again) == f"Person K-{person.pk:05d}"


def test_prefetched_consents_cost_no_query(person, partner, django_assert_num_queries):
    ConsentRecordFactory(person=person)
    loaded = Person.objects.prefetch_related("consents").get(pk=person.pk)
    roles.user_roles(partner)  # read once per request, cached on the user
    with django_assert_num_queries(0):
        assert disclosure.identity_disclosed(loaded, user=partner)


def test_disclosed_people(partner, lawyer):
    consenting, initials_only, withdrawn, none = PersonFactory.create_batch(4)
    ConsentRecordFactory(person=consenting)
    ConsentRecordFactory(person=initials_only, full_name_allowed=False)
    ConsentRecordFactory(person=withdrawn, given_on=dt.date(2020, 1, 1), withdrawn_on=dt.date(2021, 1, 1))
    everyone = Person.objects.all()
    assert set(disclosure.disclosed_people(everyone, user=partner)) == {consenting, initials_only}
    assert set(disclosure.disclosed_people(everyone, user=partner, full_name=True)) == {consenting}
    assert set(disclosure.disclosed_people(everyone, user=lawyer)) == {
        consenting,
        initials_only,
        withdrawn,
        none,
    }
