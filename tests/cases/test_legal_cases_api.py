"""/api/v1/legal-cases/ (charges and sentences nested) and /api/v1/legal-articles/: representation, filters,
writes."""

import datetime as dt

import pytest

from cases.models import Charge, LegalArticle, LegalCase, Sentence
from core.models import AuditEntry, Confidentiality
from events.models import Place
from people.models import GroupTag
from tests.cases.factories import (
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

PUBLIC = Confidentiality.PUBLIC


def _case(**fields):
    fields.setdefault("person", PersonFactory(confidentiality=PUBLIC))
    return LegalCaseFactory(confidentiality=PUBLIC, **fields)


def _ids(client, endpoint="legal-cases", **params):
    response = client.get(f"/api/v1/{endpoint}/", {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _article(code="cc-405-2"):
    return LegalArticle.objects.get(code=code)


def test_case_nests_live_charges_and_sentences(partner, api_client_for):
    person = PersonFactory(confidentiality=PUBLIC)
    visible = DetentionFactory(person=person, confidentiality=PUBLIC)
    hidden = DetentionFactory(person=person, confidentiality=Confidentiality.INTERNAL)
    legal_case = _case(person=person, number="1-405/2019")
    legal_case.detentions.add(visible, hidden)
    charge = ChargeFactory(legal_case=legal_case, article=_article(), status="convicted")
    ChargeFactory(legal_case=legal_case, article=_article("cc-174-1"), is_deleted=True)
    sentence = SentenceFactory(
        legal_case=legal_case, kind="restriction_of_liberty", term_years=3, decided_on=dt.date(2019, 6, 1)
    )
    row = api_client_for(partner).get(f"/api/v1/legal-cases/{legal_case.uid}/").json()
    assert row["person"] == str(person.uid)
    assert row["detentions"] == [str(visible.uid)]
    assert row["charges"] == [
        {
            "id": str(charge.uid),
            "article": str(_article().uid),
            "article_code": "cc-405-2",
            "article_citation": _article().citation,
            "charged_on": None,
            "status": "convicted",
        }
    ]
    [nested] = row["sentences"]
    assert nested["id"] == str(sentence.uid)
    assert nested["kind"] == "restriction_of_liberty"
    assert nested["decided_on_edtf"] == "2019-06-01"
    assert nested["term_years"] == 3


def test_csv_flattens_the_nested_rows(partner, api_client_for):
    legal_case = _case()
    ChargeFactory(legal_case=legal_case, article=_article())
    text = api_client_for(partner).get("/api/v1/legal-cases/", {"format": "csv"}).content.decode()
    assert "charges.0.article_code" in text.splitlines()[0]
    assert "cc-405-2" in text


def test_legal_articles(partner, api_client_for):
    client = api_client_for(partner)
    article = _article()
    row = client.get(f"/api/v1/legal-articles/{article.uid}/").json()
    assert (row["code"], row["law"], row["number"], row["part"]) == ("cc-405-2", "CC", "405", "2")
    assert row["citation"] == "CC art. 405 part 2"
    aoc = set(_ids(client, "legal-articles", law="AOC"))
    assert aoc == {str(a.uid) for a in LegalArticle.objects.filter(law="AOC")}
    assert _ids(client, "legal-articles", law="CC", number="174") == [
        str(a.uid) for a in LegalArticle.objects.filter(law="CC", number="174").order_by("id")
    ]


# --- Filters -----------------------------------------------------------------------------------------------


def test_article_sentence_kind_and_decided_range(partner, api_client_for):
    extremism = _case()
    ChargeFactory(legal_case=extremism, article=_article())
    SentenceFactory(legal_case=extremism, kind="imprisonment", decided_on=dt.date(2019, 6, 1))
    SentenceFactory(legal_case=extremism, kind="probation", decided_on=dt.date(2020, 1, 10))
    discord = _case()
    ChargeFactory(legal_case=discord, article=_article("cc-174-1"))
    SentenceFactory(legal_case=discord, kind="fine", decided_on=dt.date(2019, 9, 1))
    dropped = _case()
    ChargeFactory(legal_case=dropped, article=_article(), is_deleted=True)
    client = api_client_for(partner)
    assert _ids(client, article="cc-405-2") == [str(extremism.uid)]
    assert _ids(client, article=str(_article("cc-174-1").uid)) == [str(discord.uid)]
    assert _ids(client, sentence_kind="fine") == [str(discord.uid)]
    assert _ids(client, decided_from="2019-08-01", decided_to="2019-12-31") == [str(discord.uid)]
    # One sentence must fall in the range: June 2019 and January 2020 do not make "Jul–Dec 2019".
    assert str(extremism.uid) not in _ids(client, decided_from="2019-07-01", decided_to="2019-12-31")
    assert _ids(client, decided_from="2020-01-01") == [str(extremism.uid)]


def test_opened_status_kind_person_group(partner, api_client_for):
    journalist = PersonFactory(confidentiality=PUBLIC)
    journalist.groups.add(GroupTag.objects.get(code="journalist"))
    first = _case(person=journalist, opened_on=dt.date(2019, 3, 1), status="trial")
    second = _case(kind="administrative", opened_on=dt.date(2019, 7, 1))
    client = api_client_for(partner)
    assert _ids(client, opened_from="2019-06-01") == [str(second.uid)]
    assert _ids(client, opened_to="2019-03-01") == [str(first.uid)]
    assert _ids(client, status="trial") == [str(first.uid)]
    assert _ids(client, kind="administrative") == [str(second.uid)]
    assert _ids(client, person=str(journalist.uid)) == [str(first.uid)]
    assert _ids(client, group="journalist") == [str(first.uid)]


def test_place_and_assembly_through_visible_detentions(partner, api_client_for):
    assembly = AssemblyFactory(confidentiality=PUBLIC, place=Place.objects.get(code="karaganda"))
    at_rally = _case()
    at_rally.detentions.add(
        DetentionFactory(person=at_rally.person, assembly=assembly, confidentiality=PUBLIC)
    )
    via_hidden = _case()
    via_hidden.detentions.add(
        DetentionFactory(
            person=via_hidden.person, assembly=assembly, confidentiality=Confidentiality.INTERNAL
        )
    )
    client = api_client_for(partner)
    assert _ids(client, assembly=str(assembly.uid)) == [str(at_rally.uid)]
    assert _ids(client, place="karaganda-region") == [str(at_rally.uid)]
    assert _ids(client, place="almaty") == []


def test_bad_values_name_the_parameter(partner, api_client_for):
    client = api_client_for(partner)
    for param, value in (
        ("decided_from", "June"),
        ("article", "cc-000"),
        ("sentence_kind", "exile"),
        ("status", "lost"),
        ("group", "astronaut"),
    ):
        response = client.get("/api/v1/legal-cases/", {param: value})
        assert response.status_code == 400, param
        assert list(response.json()) == [param]


# --- Writes ------------------------------------------------------------------------------------------------


def _payload(person, **extra):
    return {
        "person": str(person.uid),
        "kind": "criminal",
        "number": "1-405/2019",
        "opened_on": "2019-03-01",
        "charges": [{"article": "cc-405-2", "status": "pending"}],
        "sentences": [
            {"decided_on": "2019-06-01", "kind": "imprisonment", "term_years": 1, "starts_on": "2019-06-01"}
        ],
        **extra,
    }


def test_lawyer_opens_a_case_with_charges_and_sentences(lawyer, api_client_for):
    person = PersonFactory(confidentiality=PUBLIC)
    detention = DetentionFactory(person=person)
    CustodyPeriodFactory(detention=detention, started_on=dt.date(2019, 3, 1), ended_on=dt.date(2019, 3, 10))
    response = api_client_for(lawyer, "write").post(
        "/api/v1/legal-cases/", _payload(person, detentions=[str(detention.uid)]), format="json"
    )
    assert response.status_code == 201, response.content
    legal_case = LegalCase.objects.get(uid=response.json()["id"])
    assert legal_case.created_by == lawyer
    assert list(legal_case.detentions.all()) == [detention]
    [charge] = legal_case.charges.all()
    assert charge.article == _article()
    [sentence] = legal_case.sentences.all()
    assert sentence.custody_credit_days == 10  # recomputed from the detention's custody
    assert sentence.ends_on == dt.date(2020, 6, 1) - dt.timedelta(days=10)
    assert sentence.appeal_deadline == dt.date(2019, 6, 16)
    assert response.json()["sentences"][0]["ends_on"] == "2020-05-22"
    assert AuditEntry.objects.filter(action="kuzet.legalcase.created", object_uid=legal_case.uid).exists()


def test_update_replaces_the_charge_list(lawyer, session_client_for):
    legal_case = _case()
    kept = ChargeFactory(legal_case=legal_case, article=_article())
    dropped = ChargeFactory(legal_case=legal_case, article=_article("cc-174-1"))
    response = session_client_for(lawyer).patch(
        f"/api/v1/legal-cases/{legal_case.uid}/",
        {
            "status": "trial",
            "charges": [
                {"id": str(kept.uid), "article": "cc-405-2", "status": "convicted"},
                {"article": "cc-274-1"},
            ],
        },
        format="json",
        HTTP_IF_MATCH=f'"{legal_case.lock_version}"',
    )
    assert response.status_code == 200, response.content
    legal_case.refresh_from_db()
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert legal_case.status == "trial"
    assert kept.status == "convicted"
    assert dropped.is_deleted  # soft: restorable in the admin
    live = Charge.objects.live().filter(legal_case=legal_case)
    assert sorted(c.article.code for c in live) == ["cc-274-1", "cc-405-2"]
    assert len(response.json()["charges"]) == 2


def test_sentences_are_recomputed_on_update(lawyer, api_client_for):
    legal_case = _case()
    sentence = SentenceFactory(legal_case=legal_case, kind="imprisonment")
    response = api_client_for(lawyer, "write").patch(
        f"/api/v1/legal-cases/{legal_case.uid}/",
        {
            "sentences": [
                {
                    "id": str(sentence.uid),
                    "decided_on": "2019-06-01",
                    "kind": "imprisonment",
                    "term_years": 2,
                    "starts_on": "2019-06-01",
                }
            ],
            "lock_version": legal_case.lock_version,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    sentence.refresh_from_db()
    assert sentence.ends_on == dt.date(2021, 6, 1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"charges": [{"article": "cc-000"}]}, "charges"),
        ({"sentences": [{"decided_on": "2019-06-01", "kind": "exile"}]}, "sentences"),
        ({"charges": [{"id": "00000000-0000-0000-0000-000000000001", "article": "cc-405-2"}]}, "charges"),
        ({"kind": "military"}, "kind"),
    ],
)
def test_invalid_case_is_400_and_writes_nothing(lawyer, api_client_for, change, field):
    person = PersonFactory(confidentiality=PUBLIC)
    before = (LegalCase.objects.count(), Charge.objects.count(), Sentence.objects.count())
    response = api_client_for(lawyer, "write").post(
        "/api/v1/legal-cases/", _payload(person, **change), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert (LegalCase.objects.count(), Charge.objects.count(), Sentence.objects.count()) == before


def test_who_may_write(partner, monitor, api_client_for):
    legal_case = _case()
    person = PersonFactory(confidentiality=PUBLIC)
    # Partners never; a monitor's role has no change permission on legal cases (as in the admin).
    for client in (api_client_for(partner), api_client_for(monitor, "write")):
        assert client.post("/api/v1/legal-cases/", _payload(person), format="json").status_code == 403
        response = client.patch(f"/api/v1/legal-cases/{legal_case.uid}/", {"status": "closed"}, format="json")
        assert response.status_code == 403
    legal_case.refresh_from_db()
    assert legal_case.status == "investigation"


def test_wrong_methods(lawyer, api_client_for):
    legal_case = _case()
    client = api_client_for(lawyer, "write")
    assert client.delete(f"/api/v1/legal-cases/{legal_case.uid}/").status_code == 405
    assert client.put(f"/api/v1/legal-cases/{legal_case.uid}/", {}, format="json").status_code == 405
    assert client.post("/api/v1/legal-articles/", {}, format="json").status_code in (403, 405)


def test_an_article_code_with_a_nul_character_is_an_unknown_article(lawyer, session_client_for):
    legal_case = _case()
    response = session_client_for(lawyer).patch(
        f"/api/v1/legal-cases/{legal_case.uid}/", {"charges": [{"article": "cc\u0000405"}]}, format="json"
    )
    assert response.status_code == 400
    assert "Unknown uid or code" in str(response.json()["charges"])
    assert not Charge.objects.filter(legal_case=legal_case).exists()
