"""A lawyer reads a person's whole history on the person's admin page, adds a criminal case with its charges
and sentences, and reads the sentence's end: the term less the days in custody, or a date set by a lawyer."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import Charge, CustodyCredit, LegalCase, Sentence, Treatment
from cases.services import legal_case_recompute
from tests.admin_forms import form_data, inline_prefix, inline_row, without_templates
from tests.cases.factories import (
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    LegalArticleFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory
from tests.people.factories import PersonFactory

# Custody before the criminal sentence: three days in a temporary detention centre, then pre-trial detention.
CUSTODY = [
    ("ivs", dt.date(2019, 2, 27), dt.date(2019, 3, 1)),
    ("sizo", dt.date(2019, 3, 2), dt.date(2019, 6, 10)),
]
CUSTODY_DAYS = (dt.date(2019, 6, 10) - dt.date(2019, 2, 27)).days + 1  # both ends count: 104
STARTS_ON = dt.date(2019, 6, 11)
COMPUTED_END = dt.date(2026, 6, 11) - dt.timedelta(days=CUSTODY_DAYS)  # 7 years, less the custody


def _article(code, law, number, part, name):
    return LegalArticleFactory(code=code, law=law, number=number, part=part, name_en=name)


@pytest.fixture
def person(monitor):
    return PersonFactory(full_name="Testova Aigerim", created_by=monitor)


@pytest.fixture
def treatments():
    return [
        Treatment.objects.get_or_create(code=code, defaults={"name_en": name})[0]
        for code, name in (("force-at-arrest", "Brute force used at arrest"), ("beaten", "Beaten (battery)"))
    ]


@pytest.fixture
def criminal_detention(person, treatments):
    """Taken at a rally, then held until the trial."""
    assembly = AssemblyFactory(title="Testrally on the square")
    detention = DetentionFactory(person=person, assembly=assembly, held_at="Testoral city police")
    detention.treatment.set(treatments)
    for kind, started_on, ended_on in CUSTODY:
        CustodyPeriodFactory(detention=detention, kind=kind, started_on=started_on, ended_on=ended_on)
    return detention


@pytest.fixture
def administrative_case(person):
    """An earlier picket: fined 15 days of administrative arrest under AOC 488."""
    detention = DetentionFactory(
        person=person, detained_at=dt.datetime(2018, 5, 9, 10, tzinfo=dt.UTC), held_at="Testaul police"
    )
    legal_case = LegalCaseFactory(
        person=person, kind="administrative", number="Test-5-2018", court="Testaul court"
    )
    legal_case.detentions.add(detention)
    ChargeFactory(legal_case=legal_case, article=_article("aoc-488-6", "AOC", "488", "6", "Assemblies"))
    SentenceFactory(
        legal_case=legal_case,
        kind="administrative_arrest",
        term_days=15,
        decided_on=dt.date(2018, 5, 10),
        starts_on=dt.date(2018, 5, 10),
    )
    legal_case_recompute(legal_case=legal_case)
    return legal_case


@pytest.fixture
def imprisonment_credit():
    """One day of custody is one day of imprisonment (CC art. 62); seeded by migration, checked here."""
    credit, _created = CustodyCredit.objects.get_or_create(
        sentence_kind="imprisonment", defaults={"days_per_custody_day": Decimal("1.00")}
    )
    assert credit.days_per_custody_day == Decimal("1.00")
    return credit


def _person_page(client, person) -> str:
    response = client.get(reverse("admin:people_person_change", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_person_page_shows_every_detention_case_charge_and_sentence(
    person, criminal_detention, administrative_case, lawyer, client
):
    sentence = administrative_case.sentences.get()
    client.force_login(lawyer)

    html = _person_page(client, person)

    assert "Testoral city police" in html
    assert "Testaul police" in html
    assert "Testrally on the square" in html
    assert "Beaten (battery), Brute force used at arrest" in html
    assert "Test-5-2018" in html
    assert "AOC art. 488 part 6 — " in html
    # 15 days from the decision, less the day of arrest spent in custody
    assert sentence.ends_on == dt.date(2018, 5, 10) + dt.timedelta(days=15) - dt.timedelta(days=1)
    assert f"Administrative arrest 15d, ends {sentence.ends_on}" in html


def _add_case_data(page, *, person, detention, articles):
    data = without_templates(form_data(page))
    shown = form_data(page)
    charges, sentences = inline_prefix(page, Charge), inline_prefix(page, Sentence)
    data = {k: v for k, v in data.items() if not k.startswith((f"{charges}-", f"{sentences}-"))}
    for prefix, count in ((charges, len(articles)), (sentences, 2)):
        data.update({f"{prefix}-TOTAL_FORMS": [str(count)], f"{prefix}-INITIAL_FORMS": ["0"]})
        for key in ("MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{prefix}-{key}"] = shown[f"{prefix}-{key}"]
    data.update(
        kind=["criminal"],
        number=["Test-405-2019"],
        status=["convicted"],
        opened_on=["2019-03-02"],
        court=["Testoral city court"],
        detentions=[str(detention.pk)],
    )
    for index, article in enumerate(articles):
        data.update(inline_row(shown, charges, index))
        data.update(
            {f"{charges}-{index}-article": [str(article.pk)], f"{charges}-{index}-status": ["convicted"]}
        )
    for index, (kind, years, starts_on) in enumerate(
        [("imprisonment", 7, STARTS_ON), ("ban_on_activity", 3, None)]
    ):
        data.update(inline_row(shown, sentences, index))
        row = {
            "decided_on": STARTS_ON.isoformat(),
            "kind": kind,
            "status": "serving",
            "term_years": str(years),
            "starts_on": starts_on.isoformat() if starts_on else "",
        }
        data.update({f"{sentences}-{index}-{name}": [value] for name, value in row.items()})
    assert data["person"] == [str(person.pk)]  # the person page's "Add a legal case" link fills it in
    return data


@pytest.mark.django_db
def test_a_lawyer_adds_a_criminal_case_and_reads_the_sentence_end_less_custody(
    person, criminal_detention, imprisonment_credit, lawyer, client
):
    articles = [
        _article("cc-405-2", "CC", "405", "2", "Participation in a banned organisation"),
        _article("cc-174-1", "CC", "174", "1", "Inciting discord"),
    ]
    client.force_login(lawyer)
    add_url = f"{reverse('admin:cases_legalcase_add')}?person={person.pk}"
    page = client.get(add_url)

    response = client.post(
        add_url, _add_case_data(page, person=person, detention=criminal_detention, articles=articles)
    )

    assert response.status_code == 302
    legal_case = LegalCase.objects.get(number="Test-405-2019")
    assert (legal_case.person, legal_case.kind, legal_case.created_by) == (person, "criminal", lawyer)
    assert list(legal_case.detentions.all()) == [criminal_detention]
    assert {c.article for c in legal_case.charges.all()} == set(articles)
    prison = legal_case.sentences.get(kind="imprisonment")
    assert prison.custody_credit_days == CUSTODY_DAYS
    assert prison.ends_on == COMPUTED_END == dt.date(2026, 2, 27)
    assert prison.ends_on_override is None
    ban = legal_case.sentences.get(kind="ban_on_activity")
    assert (ban.custody_credit_days, ban.ends_on) == (0, None)

    change_url = reverse("admin:cases_legalcase_change", args=[legal_case.pk])
    assert f"{COMPUTED_END} <em>computed</em>" in client.get(change_url).content.decode()
    html = _person_page(client, person)
    assert "CC art. 405 part 2 — " in html
    assert f"Imprisonment 7y, ends {COMPUTED_END}</div>" in html


@pytest.mark.django_db
def test_an_end_date_set_by_a_lawyer_is_shown_beside_the_computed_one(
    person, criminal_detention, imprisonment_credit, lawyer, client
):
    legal_case = LegalCaseFactory(person=person, number="Test-405-2019")
    legal_case.detentions.add(criminal_detention)
    ChargeFactory(legal_case=legal_case, article=_article("cc-405-2", "CC", "405", "2", "Participation"))
    prison = SentenceFactory(legal_case=legal_case, term_years=7, starts_on=STARTS_ON, decided_on=STARTS_ON)
    legal_case_recompute(legal_case=legal_case)
    override = dt.date(2025, 12, 30)
    client.force_login(lawyer)
    change_url = reverse("admin:cases_legalcase_change", args=[legal_case.pk])
    page = client.get(change_url)
    data = without_templates(form_data(page))
    prefix = inline_prefix(page, Sentence)
    row = next(k[: -len("-id")] for k, v in data.items() if k.startswith(f"{prefix}-") and k.endswith("-id"))
    assert data[f"{row}-id"] == [str(prison.pk)]
    data[f"{row}-ends_on_override"] = [override.isoformat()]

    response = client.post(change_url, data)

    assert response.status_code == 302
    prison.refresh_from_db()
    assert (prison.ends_on_override, prison.ends_on) == (override, COMPUTED_END)
    expected = f"{override} <strong>set by a lawyer</strong> (computed {COMPUTED_END})"
    assert expected in client.get(change_url).content.decode()
    assert f"Imprisonment 7y, ends {override} (set by a lawyer)</div>" in _person_page(client, person)
