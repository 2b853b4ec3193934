"""Who sees which record: `visible_to`, the one rule the admin, pages, API and reports share (DESIGN.md,
Confidentiality). Each test names a record and asserts exactly which personas see it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from cases.models import Charge, CustodyPeriod, Detention, LegalCase, Sentence
from core.models import Confidentiality
from events.models import Assembly, Incident, Source
from people.models import ConsentRecord, Person, PersonName
from tests.cases.factories import (
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory, IncidentFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

PERSONAS = (
    "monitor",
    "other_monitor",
    "lawyer",
    "analyst",
    "administrator",
    "partner",
    "outsider",
    "staff_outsider",
)
STAFF = {"monitor", "other_monitor", "lawyer", "analyst", "administrator"}

# A detention or case belongs to a person; the person is public here, so that the record's own level decides.
RECORDS = {
    Person: PersonFactory,
    Assembly: AssemblyFactory,
    Incident: IncidentFactory,
    Source: SourceFactory,
    Detention: lambda **kw: DetentionFactory(person=PersonFactory(confidentiality="public"), **kw),
    LegalCase: lambda **kw: LegalCaseFactory(person=PersonFactory(confidentiality="public"), **kw),
}

# level: (how the record is made, who sees it)
LEVELS = {
    "public": ({"confidentiality": Confidentiality.PUBLIC}, STAFF | {"partner"}),
    "partners": ({"confidentiality": Confidentiality.PARTNERS}, STAFF | {"partner"}),
    "internal": ({"confidentiality": Confidentiality.INTERNAL}, STAFF),
    "restricted_by_other_monitor": (
        {"confidentiality": Confidentiality.RESTRICTED, "created_by": "other_monitor"},
        {"other_monitor", "administrator"},
    ),
    "restricted_shared_with_monitor": (
        {
            "confidentiality": Confidentiality.RESTRICTED,
            "created_by": "other_monitor",
            "shared_with": ["monitor"],
        },
        {"other_monitor", "monitor", "administrator"},
    ),
    "restricted_by_lawyer_shared_with_analyst": (
        {"confidentiality": Confidentiality.RESTRICTED, "created_by": "lawyer", "shared_with": ["analyst"]},
        {"lawyer", "analyst", "administrator"},
    ),
    "deleted": ({"confidentiality": Confidentiality.INTERNAL, "is_deleted": True}, set()),
}


@pytest.fixture
def personas(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


def _make(factory, personas, *, created_by=None, shared_with=(), **fields):
    record = factory(created_by=personas.get(created_by), **fields)
    record.shared_with.set([personas[name] for name in shared_with])
    return record


def _seen_by(model, record, personas, **kwargs) -> set[str]:
    return {
        name
        for name, user in personas.items()
        if model.objects.visible_to(user, **kwargs).filter(pk=record.pk).exists()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("model", RECORDS, ids=lambda m: m.__name__)
def test_who_sees_a_record_at_each_confidentiality_level(model, level, personas):
    fields, expected = LEVELS[level]
    record = _make(RECORDS[model], personas, **fields)
    assert _seen_by(model, record, personas) == expected
    assert not model.objects.visible_to(AnonymousUser()).filter(pk=record.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", RECORDS, ids=lambda m: m.__name__)
def test_only_an_administrator_sees_a_deleted_record_and_only_when_asking_for_deleted_ones(model, personas):
    record = _make(RECORDS[model], personas, confidentiality=Confidentiality.PUBLIC, is_deleted=True)
    assert _seen_by(model, record, personas, include_deleted=True) == {"administrator"}
    assert _seen_by(model, record, personas) == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "factory"),
    [(Detention, DetentionFactory), (LegalCase, LegalCaseFactory)],
    ids=["Detention", "LegalCase"],
)
def test_a_record_of_a_restricted_person_is_hidden_from_whoever_may_not_see_the_person(
    model, factory, personas
):
    person = PersonFactory(confidentiality=Confidentiality.RESTRICTED, created_by=personas["other_monitor"])
    record = factory(person=person, confidentiality=Confidentiality.PUBLIC)
    assert _seen_by(model, record, personas) == {"other_monitor", "administrator"}
    person.shared_with.add(personas["lawyer"])
    assert _seen_by(model, record, personas) == {"other_monitor", "lawyer", "administrator"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "factory"),
    [(Detention, DetentionFactory), (LegalCase, LegalCaseFactory)],
    ids=["Detention", "LegalCase"],
)
def test_a_partner_does_not_see_a_public_record_of_an_internal_person(model, factory, personas):
    record = factory(person=PersonFactory(confidentiality=Confidentiality.INTERNAL), confidentiality="public")
    assert "partner" not in _seen_by(model, record, personas)
    assert "monitor" in _seen_by(model, record, personas)


# child: (how a child is made under a parent, the parent's model)
CHILDREN = {
    PersonName: (lambda parent: PersonName.objects.create(person=parent, text="Testalias Zhanna"), Person),
    ConsentRecord: (lambda parent: ConsentRecordFactory(person=parent), Person),
    CustodyPeriod: (lambda parent: CustodyPeriodFactory(detention=parent), Detention),
    Charge: (lambda parent: ChargeFactory(legal_case=parent), LegalCase),
    Sentence: (lambda parent: SentenceFactory(legal_case=parent), LegalCase),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "level",
    ["public", "internal", "restricted_by_other_monitor", "restricted_shared_with_monitor", "deleted"],
)
@pytest.mark.parametrize("model", CHILDREN, ids=lambda m: m.__name__)
def test_a_child_row_is_seen_by_exactly_who_sees_its_parent(model, level, personas):
    make_child, parent_model = CHILDREN[model]
    fields, expected = LEVELS[level]
    parent = _make(RECORDS[parent_model], personas, **fields)
    child = make_child(parent)
    assert _seen_by(model, child, personas) == expected == _seen_by(parent_model, parent, personas)


@pytest.mark.django_db
@pytest.mark.parametrize("model", CHILDREN, ids=lambda m: m.__name__)
def test_a_deleted_child_row_is_hidden_even_under_a_visible_parent(model, personas):
    make_child, parent_model = CHILDREN[model]
    child = make_child(RECORDS[parent_model](confidentiality=Confidentiality.PUBLIC))
    model.objects.filter(pk=child.pk).update(is_deleted=True)
    assert _seen_by(model, child, personas) == set()
    assert _seen_by(model, child, personas, include_deleted=True) == {"administrator"}


@pytest.mark.django_db
def test_the_detention_list_of_a_monitor_is_one_query_after_the_roles_lookup(
    monitor, other_monitor, django_assert_num_queries
):
    for level in ("public", "internal", "restricted"):
        DetentionFactory(confidentiality=level, created_by=other_monitor)
        DetentionFactory(confidentiality=level, created_by=monitor)
    user = get_user_model().objects.get(pk=monitor.pk)  # as a request loads it: roles not read yet

    with django_assert_num_queries(2):  # the user's roles, then the detentions
        detentions = list(Detention.objects.visible_to(user))

    assert len(detentions) == 5
    with django_assert_num_queries(1):  # the roles are read once per user object
        assert len(list(Detention.objects.visible_to(user))) == 5
