"""cases.dossier_views.PersonDossierView (/people/<uid>/dossier.pdf): the PDF a lawyer hands to a court holds
the person page's content as the lawyer may see it, and each download is audited."""

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from cases.choices import SentenceStatus
from cases.dossier import ascii_name, dossier_filename
from core.models import AuditEntry, Confidentiality
from events.models import Source
from people.models import NameKind, PersonName
from tests.cases.factories import (
    AppealFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    HearingFactory,
    LegalArticleFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import PlaceFactory, SourceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).parents[1] / "e2e" / "artifacts"
NOW = dt.datetime(2020, 1, 10, 12, 0, tzinfo=dt.UTC)


def _url(person):
    return reverse("cases:person-dossier", args=[person.uid])


def _text(response) -> str:
    """The PDF's text, every page, with lines joined (a long line may wrap anywhere)."""
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def person():
    person = PersonFactory(full_name="Жүнісов Болатхан", aliases=["Zhunusov Bolatkhan"])
    source = Source.objects.create(kind="media", title="Testpaper report", url="https://example.org/report")
    detention = DetentionFactory(
        person=person,
        place=PlaceFactory(name_en="Testgrad"),
        detained_at=dt.datetime(2019, 2, 27, 6, 0, tzinfo=dt.UTC),
        held_at="Testdistrict police",
    )
    detention.sources.add(source)
    CustodyPeriodFactory(
        detention=detention, kind="sizo", started_on=dt.date(2019, 2, 27), ended_on=dt.date(2019, 6, 30)
    )
    case = LegalCaseFactory(person=person, number="TEST-0405", opened_on=dt.date(2019, 3, 1))
    ChargeFactory(legal_case=case, article=LegalArticleFactory(code="cc-test-405", number="405", part="2"))
    sentence = SentenceFactory(
        legal_case=case,
        decided_on=dt.date(2019, 7, 1),
        term_years=3,
        starts_on=dt.date(2019, 7, 1),
        ends_on=dt.date(2022, 3, 1),
        status=SentenceStatus.SERVING,
    )
    HearingFactory(
        legal_case=case,
        held_at=dt.datetime(2019, 6, 20, 4, 0, tzinfo=dt.UTC),
        judge="Judge Testova",
        outcome="Verdict set for 1 July",
    )
    AppealFactory(
        legal_case=case,
        sentence=sentence,
        court="Testgrad regional court",
        filed_on=dt.date(2019, 7, 10),
        decided_on=dt.date(2019, 8, 20),
        outcome="upheld",
    ).sources.add(source)
    return person


@pytest.fixture
def as_lawyer(client, lawyer):
    client.force_login(lawyer)
    return client


@time_machine.travel(NOW, tick=False)
def test_the_pdf_holds_the_history_the_lawyer_sees(as_lawyer, lawyer, person):
    response = as_lawyer.get(_url(person))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="dossier-Zhunisov-Bolatkhan.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = _text(response)
    for expected in [
        "Жүнісов Болатхан",
        "Zhunusov Bolatkhan",
        "Generated 2020-01-10 18:00 by lawyer",  # Almaty time
        "Detained 2019-02-27 12:00",
        "Testgrad",
        "Testdistrict police",
        "2019-06-30",
        "TEST-0405",
        "CC art. 405 part 2",
        "Sentence: Imprisonment, decided 2019-07-01",
        "3y",
        "2022-03-01",
        "Judge Testova",
        "Verdict set for 1 July",
        "Testgrad regional court",
        "Upheld",
        "Appeal Upheld (Appeal (regional court), 2019-08-20)",  # the sentence says how its appeal ended
        "Testpaper report",
        "1 / 2",
        "2 / 2",
    ]:
        assert expected in text, expected
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "dossier.pdf").write_bytes(response.content)


def test_the_download_is_audited(as_lawyer, lawyer, person):
    as_lawyer.get(_url(person))

    entry = AuditEntry.objects.get(action="kuzet.person.dossier_downloaded")
    assert (entry.actor, entry.object_uid, entry.object_type) == (lawyer, person.uid, "people.person")
    assert entry.data == {"detentions": 1, "legal_cases": 1}


def test_a_detention_the_user_may_not_see_is_not_in_the_pdf(as_lawyer, person, other_monitor):
    DetentionFactory(
        person=person,
        held_at="Secret testfacility",
        confidentiality=Confidentiality.RESTRICTED,
        created_by=other_monitor,
    )
    hidden_source = SourceFactory(
        title="Secret testsource", confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    person.legal_cases.get().hearings.get().sources.add(hidden_source)

    text = _text(as_lawyer.get(_url(person)))

    assert "Testdistrict police" in text
    assert "Secret testfacility" not in text
    assert "Secret testsource" not in text


def test_a_user_who_may_not_see_the_person_gets_404_and_nothing_is_audited(client, monitor, other_monitor):
    hidden = PersonFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    client.force_login(monitor)

    assert client.get(_url(hidden)).status_code == 404
    assert not AuditEntry.objects.filter(action="kuzet.person.dossier_downloaded").exists()


def test_a_partner_gets_403_and_anonymous_goes_to_login(client, partner, person):
    response = client.get(_url(person))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    client.force_login(partner)
    assert client.get(_url(person)).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "delete", "head"])
def test_only_get(as_lawyer, person, method):
    assert getattr(as_lawyer, method)(_url(person)).status_code == 405


def test_the_page_links_the_dossier(as_lawyer, person):
    html = as_lawyer.get(reverse("cases:person-detail", args=[person.uid])).content.decode()
    assert f'href="{_url(person)}"' in html
    assert "Download dossier (PDF)" in html


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Жүнісов Болатхан", "Zhunisov-Bolatkhan"),
        ("Щербакова Юлия", "Shcherbakova-Yuliya"),
        ("Ýálıhanov Şoqan", "Yalihanov-Soqan"),
        ("O'Brien / Testov", "O-Brien-Testov"),
    ],
)
def test_file_names_are_ascii(name, expected):
    assert ascii_name(name) == expected


def test_a_name_with_no_ascii_letter_falls_back_to_the_uid():
    person = PersonFactory(full_name="张伟")
    assert dossier_filename(person) == f"dossier-{person.uid}.pdf"


def _add_history(person, count):
    for n in range(count):
        detention = DetentionFactory(person=person, detained_at=dt.datetime(2018, 1, n + 1, tzinfo=dt.UTC))
        CustodyPeriodFactory(detention=detention, started_on=dt.date(2018, 1, n + 1), ended_on=None)
        case = LegalCaseFactory(person=person)
        ChargeFactory(legal_case=case)
        sentence = SentenceFactory(legal_case=case)
        HearingFactory(legal_case=case).sources.add(SourceFactory())
        AppealFactory(legal_case=case, sentence=sentence).sources.add(SourceFactory())


def test_query_count_does_not_grow_with_the_history(client, lawyer, django_assert_num_queries):
    person = PersonFactory()
    PersonName.objects.create(person=person, text="Testalias", kind=NameKind.ALIAS)
    client.force_login(lawyer)
    _add_history(person, 1)
    with django_assert_num_queries(QUERIES):
        client.get(_url(person))
    _add_history(person, 6)
    with django_assert_num_queries(QUERIES):
        response = client.get(_url(person))
    assert response.status_code == 200


# The person page's 19 (tests/cases/test_person_detail_view.py) and the audit entry.
QUERIES = 21  # +1: the read log (one INSERT per downloaded dossier)
