"""No person without an active consent for the body's scope is named — under any spelling — in the text of
any file a report is made of (PDF, DOCX, XLSX, JSON), even where a monitor typed the name into a title or a
note; a consented person's name does appear. An individual communication to the WGAD is refused without a
`un` consent."""

import datetime as dt
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from docx import Document as Docx
from openpyxl import load_workbook
from pypdf import PdfReader

from cases.models import LegalArticle
from people.models import GroupTag
from reports.compiling import ReportRefused, compile_report
from tests.cases.factories import (
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory, IncidentFactory, PlaceFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory
from tests.reports.factories import ReportFactory, definition

ALMATY = ZoneInfo("Asia/Almaty")
SCOPES = {"un-sr-foaa": "un", "osce-odihr": "osce", "osce-rfom": "osce", "eu-briefing": "eu", "un-wgad": "un"}


def text_of(kind: str, content: bytes) -> str:
    if kind == "pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if kind == "docx":
        doc = Docx(io.BytesIO(content))
        parts = [p.text for p in doc.paragraphs]
        parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
        return "\n".join(parts)
    if kind == "xlsx":
        workbook = load_workbook(io.BytesIO(content))
        return "\n".join(
            str(value)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value
        )
    assert kind == "json"
    return json.dumps(json.loads(content), ensure_ascii=False)


def squeezed(text: str) -> str:
    """Without spaces, line breaks or hyphens, lower-cased: a name the PDF wrapped or hyphenated in a narrow
    table cell is still found."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text).lower()


def mentions(text: str, name: str) -> bool:
    return squeezed(name) in squeezed(text)


def local(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


@pytest.fixture
def people(db):
    """One consented person per scope, and people who must stay pseudonyms: none, another scope only, a
    withdrawn consent, and a restricted person with a consent. Their names are also typed into titles."""
    city = PlaceFactory(code="names-city", name_en="Namecity")
    journalist = GroupTag.objects.get(code="journalist")
    article = LegalArticle.objects.get(code="cc-174-1")
    consented = {
        scope: PersonFactory(full_name=f"Consentia {scope.title()}kova", aliases=[f"Консентия {scope}"])
        for scope in ("un", "osce", "eu")
    }
    for scope, person in consented.items():
        ConsentRecordFactory(person=person, scope=scope, given_on=dt.date(2019, 1, 5))
    hidden = [
        PersonFactory(full_name="Hiddenov Nomen", aliases=["Скрытов Номен", "Khiddenov Nomen"]),
        PersonFactory(full_name="Otherscope Persona", aliases=["Другой Персона"]),
        PersonFactory(full_name="Withdrawn Vozvrat", aliases=["Отозван Возврат"]),
        PersonFactory(full_name="Secretova Restricta", confidentiality="restricted"),
    ]
    ConsentRecordFactory(person=hidden[1], scope="partners", given_on=dt.date(2019, 1, 5))
    ConsentRecordFactory(
        person=hidden[2], scope="un", given_on=dt.date(2019, 1, 5), withdrawn_on=dt.date(2019, 1, 20)
    )
    for scope in ("un", "osce", "eu"):
        ConsentRecordFactory(person=hidden[3], scope=scope, given_on=dt.date(2019, 1, 5))
    source = SourceFactory(
        title="Скрытов Номен and Hiddenov Nomen detained, says witness", confidentiality="public"
    )
    assembly = AssemblyFactory(
        title="Picket for Hiddenov Nomen",
        place=city,
        starts_at=local(dt.date(2019, 2, 27)),
        outcome="dispersed",
        organisers="Friends of Скрытов Номен",
    )
    assembly.sources.add(source)
    incident = IncidentFactory(
        kind="obstruction_of_journalists",
        title="Khiddenov Nomen's camera smashed",
        place=city,
        starts_on=dt.date(2019, 2, 27),
    )
    incident.sources.add(source)
    IncidentFactory(
        kind="internet_shutdown",
        title="Mobile internet off after Withdrawn Vozvrat's stream",
        place=city,
        starts_on=dt.date(2019, 2, 27),
    )
    for person in [*consented.values(), *hidden]:
        person.groups.add(journalist)
        detention = DetentionFactory(
            person=person,
            assembly=assembly,
            place=city,
            detained_at=local(dt.date(2019, 2, 27)),
            outcome="charged",
            notes="Detained together with Hiddenov Nomen and Отозван Возврат.",
            confidentiality="restricted" if person is hidden[3] else "internal",
        )
        detention.sources.add(source)
        CustodyPeriodFactory(detention=detention, kind="sizo", started_on=dt.date(2019, 2, 27), ended_on=None)
        case = LegalCaseFactory(person=person, opened_on=dt.date(2019, 2, 28), kind="criminal")
        case.detentions.add(detention)
        ChargeFactory(legal_case=case, article=article)
        SentenceFactory(
            legal_case=case,
            kind="imprisonment",
            decided_on=dt.date(2019, 3, 15),
            starts_on=dt.date(2019, 2, 27),
            term_years=2,
            status="serving",
        )
    return {"consented": consented, "hidden": hidden}


def all_text(compiled) -> dict[str, str]:
    assert {f.kind for f in compiled.files} == {"pdf", "docx", "xlsx", "json"}
    return {f.kind: text_of(f.kind, f.content) for f in compiled.files}


def spellings(person) -> list[str]:
    return [person.full_name, *(name.text for name in person.names.all())]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["un-sr-foaa", "osce-rfom", "eu-briefing", "osce-odihr"])
def test_periodic_reports_name_only_people_with_consent_for_the_body(people, slug):
    period = {"period_start": dt.date(2019, 2, 1), "period_end": dt.date(2019, 3, 31)}
    compiled = compile_report(report=ReportFactory(definition=definition(slug), **period))

    texts = all_text(compiled)
    scope = SCOPES[slug]
    for kind, text in texts.items():
        for person in people["hidden"]:
            for spelling in spellings(person):
                assert not mentions(text, spelling), f"{spelling!r} in the {kind} of {slug}"
        for other_scope, person in people["consented"].items():
            if other_scope != scope:
                assert not mentions(text, person.full_name), f"{person} in the {kind} of {slug}"
    consented = people["consented"][scope]
    if slug == "osce-odihr":  # aggregates only: nobody is named
        assert compiled.named_people == []
    else:
        assert mentions(texts["pdf"], consented.full_name)
        assert mentions(texts["docx"], consented.full_name)
        assert compiled.named_people == [consented]
    # The pseudonym stands in for the hidden people who may be described, in the PDF too.
    if slug in ("un-sr-foaa", "osce-rfom"):
        assert mentions(texts["pdf"], f"Person K-{people['hidden'][0].pk:05d}")


@pytest.mark.django_db
def test_the_wgad_communication_names_its_person_and_no_one_else(people):
    person = people["consented"]["un"]
    report = ReportFactory(definition=definition("un-wgad"), person=person)

    compiled = compile_report(report=report)

    texts = all_text(compiled)
    for kind, text in texts.items():
        for hidden in people["hidden"]:
            for spelling in spellings(hidden):
                assert not mentions(text, spelling), f"{spelling!r} in the {kind}"
    assert mentions(texts["pdf"], person.full_name)
    assert mentions(texts["docx"], person.full_name)
    assert mentions(texts["docx"], f"Person K-{people['hidden'][0].pk:05d}")  # the redacted note
    assert compiled.named_people == [person]


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["none", "other scope", "withdrawn"])
def test_the_wgad_communication_is_refused_without_an_active_un_consent(people, which):
    person = {
        "none": people["hidden"][0],
        "other scope": people["consented"]["osce"],
        "withdrawn": people["hidden"][2],
    }[which]
    report = ReportFactory(definition=definition("un-wgad"), person=person)

    with pytest.raises(
        ReportRefused, match=r"cannot be sent without the consent of Person K-\d+ or their family"
    ):
        compile_report(report=report)
