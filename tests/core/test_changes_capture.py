"""Every path that changes a record the API serves leaves a change-log entry for it (core.changes): the admin,
the services, a plain ORM save, soft delete and restore, many-to-many links from either end, child rows,
visibility inherited from a parent, hard deletes, and the bulk inserts of generate_synthetic."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from cases.demo.load import demo_load
from cases.models import Detention, LegalCase, Treatment
from cases.services import detention_record
from cases.synthetic import synthetic_generate
from core import changes
from core.models import ChangeLog, Confidentiality
from core.services import record_restore, record_soft_delete
from events.models import Assembly
from people.models import Person
from tests.admin_forms import form_data, inline_prefix, inline_row, without_templates
from tests.cases.factories import ChargeFactory, CustodyPeriodFactory, DetentionFactory, LegalCaseFactory
from tests.events.factories import AssemblyFactory, IncidentFactory, PlaceFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _last() -> int:
    return ChangeLog.objects.aggregate(last=Max("seq"))["last"] or 0


def _logged(mark: int) -> list[tuple[str, object]]:
    """The (type, uid) of the entries written after `mark`, in order."""
    return list(ChangeLog.objects.filter(seq__gt=mark).order_by("seq").values_list("type", "uid"))


@pytest.fixture
def since():
    """The entries written since this fixture ran, as a set of (type, uid)."""
    mark = _last()
    return lambda: set(_logged(mark))


@pytest.fixture
def treatment():
    return Treatment.objects.get_or_create(code="phone-seized", defaults={"name_en": "Phone seized"})[0]


def test_an_orm_save_logs_the_record(since):
    person = PersonFactory()
    assembly = AssemblyFactory()
    assert {("person", person.uid), ("assembly", assembly.uid)} <= since()
    mark = _last()

    person.occupation = "Testworker"
    person.save(update_fields=["occupation"])

    assert _logged(mark) == [("person", person.uid)]


def test_a_rolled_back_save_leaves_no_entry(since):
    with pytest.raises(RuntimeError), transaction.atomic():
        PersonFactory(full_name="Testova Rollback")
        raise RuntimeError

    assert since() == set()


def test_a_service_logs_every_record_it_writes(monitor, since):
    detention = detention_record(
        user=monitor,
        new_person_name="Testuly Serik",
        detained_at=dt.datetime(2019, 2, 27, 12, tzinfo=dt.UTC),
    )

    assert since() == {("detention", detention.uid), ("person", detention.person.uid)}


def test_the_admin_logs_the_record_and_the_rows_saved_with_it(monitor, client):
    assembly = AssemblyFactory(title="Testrally at the akimat", created_by=monitor)
    mark = _last()
    client.force_login(monitor)
    url = reverse("admin:events_assembly_change", args=[assembly.pk])
    page = client.get(url)
    prefix, shown = inline_prefix(page, Detention), form_data(page)
    data = without_templates(shown)
    data.update({f"{prefix}-TOTAL_FORMS": ["1"], f"{prefix}-INITIAL_FORMS": ["0"], "title": ["Testrally 2"]})
    data.update(inline_row(shown, prefix, 0))
    data.update(
        {
            f"{prefix}-0-new_person_name": ["Testuly Arman"],
            f"{prefix}-0-detained_at_0": ["2019-02-27"],
            f"{prefix}-0-detained_at_1": ["11:00"],
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    detention = Detention.objects.get(assembly=assembly)
    assert set(_logged(mark)) == {
        ("assembly", assembly.uid),
        ("detention", detention.uid),
        ("person", detention.person.uid),
    }


def test_soft_delete_and_restore_are_logged(administrator, since):
    detention = DetentionFactory()
    first = since()

    record_soft_delete(record=detention, user=administrator)
    after_delete = ChangeLog.objects.filter(type="detention", uid=detention.uid).count()
    record_restore(record=detention, user=administrator)

    assert ("detention", detention.uid) in first
    assert after_delete == 2
    assert ChangeLog.objects.filter(type="detention", uid=detention.uid).count() == 3


@pytest.mark.parametrize("end", ["owner", "target"])
def test_many_to_many_links_log_the_owner_from_either_end(end, treatment):
    detention = DetentionFactory()
    mark = _last()

    def logged():
        return _logged(mark)

    if end == "owner":
        detention.treatment.add(treatment)
        added = logged()
        detention.treatment.remove(treatment)
        removed = logged()
        detention.treatment.add(treatment)
        detention.treatment.clear()
    else:
        treatment.detentions.add(detention)
        added = logged()
        treatment.detentions.remove(detention)
        removed = logged()
        treatment.detentions.add(detention)
        treatment.detentions.clear()

    entry = ("detention", detention.uid)
    assert added == [entry]
    assert removed == [entry, entry]
    assert logged() == [entry] * 4


def test_linking_nothing_new_logs_nothing(treatment):
    detention = DetentionFactory()
    detention.treatment.add(treatment)
    before = ChangeLog.objects.count()

    detention.treatment.add(treatment)
    detention.treatment.set([treatment])

    assert ChangeLog.objects.count() == before


def test_other_many_to_many_fields_log_their_owner(monitor):
    person, assembly, source = PersonFactory(), AssemblyFactory(), SourceFactory()
    group = person.groups.model.objects.get_or_create(code="journalist", defaults={"name_en": "Journalist"})[
        0
    ]
    cause = assembly.causes.model.objects.get_or_create(code="political", defaults={"name_en": "Political"})[
        0
    ]
    legal_case, detention = LegalCaseFactory(person=person), DetentionFactory(person=person)
    mark = _last()

    person.groups.add(group)
    assembly.causes.add(cause)
    assembly.sources.add(source)
    legal_case.detentions.add(detention)
    legal_case.shared_with.add(monitor)

    logged = _logged(mark)
    case = ("legal-case", legal_case.uid)
    assert logged == [
        ("person", person.uid),
        ("assembly", assembly.uid),
        ("assembly", assembly.uid),
        case,
        case,
    ]


def test_a_child_row_logs_its_parent(since):
    custody = CustodyPeriodFactory()
    consent = ConsentRecordFactory()
    charge = ChargeFactory()
    assert {
        ("detention", custody.detention.uid),
        ("person", consent.person.uid),
        ("legal-case", charge.legal_case.uid),
    } <= since()
    mark = _last()

    consent = type(consent).objects.get(pk=consent.pk)  # loaded without its person
    consent.withdrawn_on = consent.given_on
    consent.save()

    assert _logged(mark) == [("person", consent.person.uid)]


def test_a_child_row_moved_to_another_parent_logs_both():
    charge = ChargeFactory()
    old_case, new_case = charge.legal_case, LegalCaseFactory()
    mark = _last()

    charge.legal_case = new_case
    charge.save()

    assert set(_logged(mark)) == {
        ("legal-case", old_case.uid),
        ("legal-case", new_case.uid),
    }


def test_a_person_hidden_or_shown_logs_their_detentions_and_cases(monitor):
    person = PersonFactory(confidentiality=Confidentiality.PARTNERS)
    detention = DetentionFactory(person=person, confidentiality=Confidentiality.PARTNERS)
    legal_case = LegalCaseFactory(person=person, confidentiality=Confidentiality.PARTNERS)
    mark = _last()

    def logged():
        return set(_logged(mark))

    person.occupation = "Testworker"  # visibility unchanged: only the person
    person.save()
    assert logged() == {("person", person.uid)}

    person = Person.objects.get(pk=person.pk)
    person.confidentiality = Confidentiality.INTERNAL
    person.save(update_fields=["confidentiality", "updated_at"])
    record_soft_delete(record=person, user=monitor)
    person.shared_with.add(monitor)

    expected = {("person", person.uid), ("detention", detention.uid), ("legal-case", legal_case.uid)}
    assert logged() == expected
    assert ChangeLog.objects.filter(seq__gt=mark, type="detention").count() == 3


def test_an_assembly_hidden_logs_the_detentions_at_it():
    assembly = AssemblyFactory(confidentiality=Confidentiality.PUBLIC)
    detention = DetentionFactory(assembly=assembly)
    mark = _last()

    assembly.confidentiality = Confidentiality.RESTRICTED
    assembly.save()

    logged = set(_logged(mark))
    assert logged == {("assembly", assembly.uid), ("detention", detention.uid)}


def test_a_hard_delete_logs_the_record_and_the_records_it_unlinks(treatment):
    detention = DetentionFactory()
    detention.treatment.add(treatment)
    assembly = AssemblyFactory()
    mark = _last()

    treatment.delete()
    Assembly.objects.filter(pk=assembly.pk).delete()

    logged = set(_logged(mark))
    assert logged == {("detention", detention.uid), ("assembly", assembly.uid)}


def test_generate_synthetic_logs_every_record_it_inserts(since):
    counts = synthetic_generate(people=30, seed=7301)

    logged = since()
    by_type = {name: {uid for kind, uid in logged if kind == name} for name, _ in logged}
    assert by_type["person"] == set(Person.objects.values_list("uid", flat=True))
    assert by_type["detention"] == set(Detention.objects.values_list("uid", flat=True))
    assert by_type["assembly"] == set(Assembly.objects.values_list("uid", flat=True))
    assert by_type.get("legal-case", set()) == set(LegalCase.objects.values_list("uid", flat=True))
    assert len(by_type["person"]) == counts["people"] == 30


def test_the_demo_loader_logs_its_records_once_and_a_reload_logs_nothing(since):
    result = demo_load(password="demo-password-for-tests-42")
    first = since()
    mark = _last()

    demo_load(password="demo-password-for-tests-42")

    demo_people = result.counts["people.Person"]
    assert len({uid for kind, uid in first if kind == "person"}) == demo_people
    assert {kind for kind, _uid in first} >= {"person", "assembly", "incident", "detention", "legal-case"}
    assert _logged(mark) == []  # unchanged rows are not saved again: partners are not sent the demo again


def test_bulk_entries_need_a_known_type():
    with pytest.raises(ValueError, match="'detentions' is not a tracked change type"):
        changes.changes_record_bulk("detentions", [])


def test_registrations_are_idempotent():
    changes.track(Detention, "detention")
    changes.track(Detention, "detention")
    detention = DetentionFactory()

    assert ChangeLog.objects.filter(uid=detention.uid).count() == 1


def test_a_renamed_reference_row_logs_the_records_that_show_its_name():
    region = PlaceFactory(code="test-region", name_en="Testregion", kind="region")
    city = PlaceFactory(code="test-city", name_en="Testcity", parent=region)
    person = PersonFactory(home_place=city)
    assembly = AssemblyFactory(place=city)
    charge = ChargeFactory()
    mark = _last()

    city.name_en = "Testcity renamed"
    city.save()
    region.name_en = "Testregion renamed"
    region.save()
    charge.article.name_en = "Renamed test article"
    charge.article.save()

    assert set(_logged(mark)) == {
        ("place", city.uid),
        ("person", person.uid),
        ("assembly", assembly.uid),
        ("place", region.uid),  # and the city, which shows its parent's name
        ("legal-article", charge.article.uid),
        ("legal-case", charge.legal_case.uid),
    }


def test_a_linked_record_hidden_logs_the_records_that_list_it(monitor):
    source = SourceFactory(confidentiality=Confidentiality.PUBLIC)
    assembly = AssemblyFactory(confidentiality=Confidentiality.PUBLIC)
    assembly.sources.add(source)
    incident = IncidentFactory(assembly=assembly)
    detention = DetentionFactory(assembly=assembly)
    legal_case = LegalCaseFactory(person=detention.person)
    legal_case.detentions.add(detention)
    mark = _last()

    record_soft_delete(record=source, user=monitor)
    assert set(_logged(mark)) == {("source", source.uid), ("assembly", assembly.uid)}

    mark = _last()
    assembly.confidentiality = Confidentiality.RESTRICTED
    assembly.save()
    assert set(_logged(mark)) == {
        ("assembly", assembly.uid),
        ("incident", incident.uid),  # shows the assembly only to who may see it
        ("detention", detention.uid),  # hidden with the assembly …
        ("legal-case", legal_case.uid),  # … and so left out of the case's detentions
    }
