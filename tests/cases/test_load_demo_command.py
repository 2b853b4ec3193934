"""`manage.py load_demo`: the demo data of the February 2019 report and the demo users, idempotently."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest  # django-axes' backend needs the request a login comes with

from cases.demo import demo_uid
from cases.models import Charge, CustodyPeriod, Detention, Hearing, LegalCase, Sentence, Treatment
from core.models import AuditEntry
from core.roles import Role
from events.models import Assembly, Incident, Source
from people.models import ConsentRecord, Person, PersonName
from people.selectors import person_filter_by_name

PASSWORD = "demo-password-for-tests-42"
DEMO_USERS = {
    "demo-monitor": (Role.MONITOR, True),
    "demo-lawyer": (Role.LAWYER, True),
    "demo-analyst": (Role.ANALYST, True),
    "demo-admin": (Role.ADMINISTRATOR, True),
    "demo-partner": (Role.PARTNER, False),
}
RECORD_MODELS = (
    Person,
    PersonName,
    ConsentRecord,
    Source,
    Assembly,
    Incident,
    Detention,
    CustodyPeriod,
    LegalCase,
    Charge,
    Sentence,
    Hearing,
)
LINKS = (
    Person.groups.through,
    Assembly.causes.through,
    Assembly.sources.through,
    Incident.sources.through,
    Detention.treatment.through,
    Detention.sources.through,
    LegalCase.sources.through,
    Hearing.sources.through,
)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo(password: str = PASSWORD) -> str:
    out = StringIO()
    call_command("load_demo", password=password, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    rows = {model._meta.label: set(model.objects.values_list("uid", flat=True)) for model in RECORD_MODELS}
    links = {model._meta.label: model.objects.count() for model in LINKS}
    users = set(get_user_model().objects.values_list("username", flat=True))
    return {"rows": rows, "links": links, "users": users}


@pytest.mark.django_db
def test_no_demo_user_exists_before_load_demo():
    assert not get_user_model().objects.filter(username__in=DEMO_USERS).exists()
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_running_twice_gives_the_same_rows_and_uids():
    load_demo()
    first = snapshot()
    load_demo()
    second = snapshot()

    assert second == first
    assert {label: len(uids) for label, uids in first["rows"].items()} == {
        "people.Person": 18,
        "people.PersonName": 38,
        "people.ConsentRecord": 2,
        "events.Source": 1,
        "events.Assembly": 18,
        "events.Incident": 11,
        "cases.Detention": 9,
        "cases.CustodyPeriod": 4,
        "cases.LegalCase": 5,
        "cases.Charge": 5,
        "cases.Sentence": 5,
        "cases.Hearing": 1,
    }
    assert Person.objects.get(full_name="Saniya Toyken").uid == demo_uid("person/toyken")
    assert AuditEntry.objects.filter(action="kuzet.demo.loaded").count() == 2


@pytest.mark.django_db
def test_rerun_leaves_unchanged_rows_untouched():
    load_demo()
    before = {model: dict(model.objects.values_list("uid", "updated_at")) for model in RECORD_MODELS}
    load_demo()

    for model, stamps in before.items():
        assert dict(model.objects.values_list("uid", "updated_at")) == stamps, model


@pytest.mark.django_db
def test_prints_the_logins_and_one_summary_line():
    output = load_demo().splitlines()

    assert output[0].split() == ["username", "role", "password"]
    assert output[1].split() == ["demo-monitor", "Monitor", PASSWORD]
    assert output[5].split() == ["demo-partner", "Partner", PASSWORD]
    assert output[6].startswith("Demo data loaded: 18 people, 38 names, 2 consent records, 1 source,")
    assert len(output) == 7


@pytest.mark.django_db
def test_password_defaults_to_the_environment(monkeypatch, client):
    monkeypatch.setenv("DEMO_PASSWORD", "from-the-environment-77")
    call_command("load_demo", stdout=StringIO())

    assert client.login(request=HttpRequest(), username="demo-analyst", password="from-the-environment-77")


@pytest.mark.django_db
def test_short_password_is_refused_and_nothing_is_written():
    with pytest.raises(CommandError, match="too short"):
        load_demo(password="short")

    assert not Person.objects.exists()
    assert not get_user_model().objects.filter(username__in=DEMO_USERS).exists()


@pytest.mark.django_db
def test_missing_reference_data_is_named_and_nothing_is_written():
    Treatment.objects.filter(code="dragged").delete()

    with pytest.raises(CommandError, match="Reference data missing: treatment with code dragged"):
        load_demo()

    assert not Person.objects.exists()


@pytest.mark.django_db
def test_almaty_rally_reports_more_than_100_and_lists_its_named_detainees():
    load_demo()

    almaty = Assembly.objects.get(uid=demo_uid("assembly/2019-02-27-almaty"))
    assert (almaty.reported_detainees, almaty.reported_detainees_note) == (100, "more than 100")
    assert almaty.place.code == "almaty"
    assert almaty.outcome == "force_used"
    assert almaty.participants_low is None  # "more than 1,000" is for the whole country
    assert {d.person.full_name for d in almaty.detentions.all()} == {"Askhat Bersalimov", "Dmitriy Tikhonov"}
    detention = almaty.detentions.get(person__full_name="Dmitriy Tikhonov")
    assert detention.procedural_status == "witness_protected"
    assert detention.outcome == "released"
    assert detention.confidentiality == "partners"
    assert {t.code for t in detention.treatment.all()} == {
        "force-at-arrest",
        "dragged",
        "questioned-about-political-views",
    }
    assert detention.released_at - detention.detained_at == dt.timedelta(hours=4)


@pytest.mark.django_db
def test_zhanaozen_arrests_are_a_count_without_invented_people():
    load_demo()

    arrests = Assembly.objects.get(uid=demo_uid("assembly/zhanaozen-unemployed-2019-02-23"))
    assert arrests.reported_detainees == 16
    assert not arrests.detentions.exists()


@pytest.mark.django_db
def test_every_event_and_case_links_the_report():
    load_demo()

    source = Source.objects.get()
    assert (source.kind, source.published_on, source.confidentiality) == (
        "ngo_report",
        dt.date(2019, 3, 6),
        "public",
    )
    for model in (Assembly, Incident, Detention, LegalCase):
        assert not model.objects.exclude(sources=source).exists(), model


@pytest.mark.django_db
def test_zhumagulov_is_convicted_under_cc_405_to_8_years_imprisonment():
    load_demo()

    legal_case = LegalCase.objects.get(person__full_name="Almat Zhumagulov")
    charge = legal_case.charges.get()
    sentence = legal_case.sentences.get()
    assert (charge.article.citation, charge.status) == ("CC art. 405 part 2", "convicted")
    assert (sentence.kind, sentence.term_years, sentence.status) == ("imprisonment", 8, "serving")
    assert (sentence.decided_on.year, sentence.decided_on_precision) == (2018, "year")
    assert sentence.starts_on is None
    assert sentence.ends_on is None  # no start date in the report, so no end date is invented


@pytest.mark.django_db
def test_zhunusov_restriction_of_liberty_ends_a_year_after_the_verdict():
    load_demo()

    sentence = Sentence.objects.get(legal_case__person__full_name="Bolathan Zhunusov")
    assert (sentence.kind, sentence.term_years) == ("restriction_of_liberty", 1)
    assert sentence.starts_on == dt.date(2019, 2, 28)
    # He was not held before the verdict (no detention on his case), so nothing is credited.
    assert sentence.custody_credit_days == 0
    assert sentence.ends_on == dt.date(2020, 2, 28)
    assert sentence.appeal_deadline == dt.date(2019, 3, 15)  # 15 days for a criminal verdict
    hearing = Hearing.objects.get(legal_case=sentence.legal_case)
    assert (hearing.kind, hearing.held_at_display, hearing.court) == (
        "verdict",
        "2019-02-28",
        "Court in Taldykorgan",
    )
    assert [s.title for s in hearing.sources.all()] == [s.title for s in sentence.legal_case.sources.all()]


@pytest.mark.django_db
def test_toyken_is_one_person_under_every_spelling():
    load_demo()

    found = {
        spelling: list(person_filter_by_name(Person.objects.all(), spelling))
        for spelling in ("Saniya Toyken", "Sania Toyken", "Сания Тойкен")
    }
    toyken = Person.objects.get(uid=demo_uid("person/toyken"))
    assert found == {spelling: [toyken] for spelling in found}
    assert toyken.detentions.count() == 2  # Zhanaozen on 27 February, Astana in February
    assert toyken.consents.get().scope == "partners"


@pytest.mark.django_db
def test_zhanaozen_journalists_custody_runs_through_zhanaozen_then_aktau():
    load_demo()

    detention = Detention.objects.get(uid=demo_uid("detention/nurbek/2019-02-27"))
    assert [p.place.code for p in detention.custody_periods.order_by("id")] == ["zhanaozen", "aktau"]
    assert {"phone-seized", "equipment-seized"} <= {t.code for t in detention.treatment.all()}


@pytest.mark.django_db
def test_demo_users_have_exactly_their_role_and_can_log_in(client):
    load_demo()

    for username, (role, is_staff) in DEMO_USERS.items():
        user = get_user_model().objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role], username
        assert (user.is_staff, user.is_superuser) == (is_staff, False), username
        assert client.login(request=HttpRequest(), username=username, password=PASSWORD), username
        client.logout()


@pytest.mark.django_db
def test_rerun_resets_password_and_groups(client, django_user_model):
    load_demo()
    lawyer = django_user_model.objects.get(username="demo-lawyer")
    lawyer.groups.add(lawyer.groups.model.objects.get(name=Role.ADMINISTRATOR))
    lawyer.is_superuser = True
    lawyer.save()

    load_demo(password="a-new-demo-password-99")

    lawyer.refresh_from_db()
    assert list(lawyer.groups.values_list("name", flat=True)) == [Role.LAWYER]
    assert not lawyer.is_superuser
    assert not client.login(request=HttpRequest(), username="demo-lawyer", password=PASSWORD)
    assert client.login(request=HttpRequest(), username="demo-lawyer", password="a-new-demo-password-99")
