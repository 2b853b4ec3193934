"""Every shipped definition compiles from the demo data (the February 2019 report) into its files, which
are saved to tests/e2e/artifacts/reports/ to look at. Also: the sections follow the definition's editable
wording and order, in Russian when the report is in Russian, and the annex has a row per assembly-day."""

import datetime as dt
import io
import json
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from docx import Document as Docx
from openpyxl import load_workbook
from pypdf import PdfReader

from cases.models import Detention, LegalArticle
from people.models import ConsentRecord, Person
from reports.compiling import compile_report
from reports.compiling.annex import COLUMNS
from reports.models import ReportSection
from tests.reports.factories import ReportFactory, definition

ARTIFACTS = Path(__file__).resolve().parents[1] / "e2e" / "artifacts" / "reports"
FEBRUARY = {"period_start": dt.date(2019, 2, 1), "period_end": dt.date(2019, 2, 28)}
FIRST_QUARTER = {"period_start": dt.date(2019, 1, 1), "period_end": dt.date(2019, 3, 31)}
PERIODS = {
    "un-sr-foaa": FEBRUARY,
    "osce-odihr": FIRST_QUARTER,
    "osce-rfom": FIRST_QUARTER,
    "eu-briefing": FIRST_QUARTER,
    "un-wgad": FEBRUARY,
}


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", password="demo-password-for-tests-only", stdout=StringIO())


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() or "" for page in reader.pages)


def save(compiled, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for file in compiled.files:
        (ARTIFACTS / f"{name}.{file.kind}").write_bytes(file.content)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["un-sr-foaa", "osce-odihr", "osce-rfom", "eu-briefing", "un-wgad"])
def test_every_definition_compiles_from_the_demo_data(demo, slug):
    fields = dict(PERIODS[slug])
    if slug == "un-wgad":
        person = Person.objects.get(full_name="Saniya Toyken")
        ConsentRecord.objects.create(
            person=person, scope="un", given_on=dt.date(2019, 3, 1), how_recorded="signed form"
        )
        fields["person"] = person
    report = ReportFactory(definition=definition(slug), **fields)
    steps = []

    compiled = compile_report(report=report, progress=steps.append)

    save(compiled, slug)
    files = {f.kind: f for f in compiled.files}
    assert set(files) == {"pdf", "xlsx", "json", "docx"}
    assert all(f.filename.startswith(f"{slug}-") for f in compiled.files)
    assert steps and "Rendering the PDF" in steps
    pages, text = pdf_text(files["pdf"].content)
    assert pages >= 3
    assert definition(slug).name in text
    assert "Page 2 / " in text
    sections = ReportSection.objects.filter(definition__slug=slug, is_active=True)
    positions = [text.find(section.title, text.find("Summary")) for section in sections]
    assert -1 not in positions, "every active section has its title in the PDF"
    assert "CONFIDENTIAL" in text.upper() and "Sources" in text
    figures = json.loads(files["json"].content)
    if slug == "un-wgad":
        assert "Saniya Toyken" in text
        recorded = Detention.objects.filter(
            person=fields["person"], detained_at__lt=dt.datetime(2019, 3, 1, tzinfo=ZoneInfo("Asia/Almaty"))
        )
        assert figures["communication"]["detentions"] == recorded.count() > 0
        assert "Hearings" in text and "Categories of arbitrary detention" in text
        docx_text = "\n".join(p.text for p in Docx(io.BytesIO(files["docx"].content)).paragraphs)
        assert "1. Identity" in docx_text
        return
    # The demo: nine named detentions in February 2019, the 27 February rallies among the assemblies.
    if slug == "un-sr-foaa":
        assert figures["detentions"]["total"] == 9
        assert sum(row["count"] for row in figures["detentions"]["by_city"]) == 9
    workbook = load_workbook(io.BytesIO(files["xlsx"].content))
    annex = workbook.worksheets[0]
    assert annex.title == "annex"
    rows = list(annex.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    assembly_days = [row for row in rows[1:] if row and row[0] and str(row[0]).startswith("KAZ-")]
    assert len(assembly_days) == figures["annex"]["assembly_days"] > 0
    dates = [row[1] for row in assembly_days]
    assert dates == sorted(dates)
    assert "2019-02-27" in dates
    assert len(workbook.worksheets) > 1  # a sheet per table


@pytest.mark.django_db
def test_sections_follow_the_editable_wording_in_russian(demo):
    sr = definition("un-sr-foaa")
    events = ReportSection.objects.get(definition=sr, key="events")
    events.text_ru = "Все собрания периода с их датой и исходом."
    events.save(update_fields=["text_ru"])
    ReportSection.objects.filter(definition=sr, key="law").update(is_active=False)
    report = ReportFactory(definition=sr, language="ru", **FEBRUARY)

    compiled = compile_report(report=report)

    save(compiled, "un-sr-foaa-ru")
    _pages, text = pdf_text(next(f for f in compiled.files if f.kind == "pdf").content)
    assert "Собрания за период" in text
    assert "Все собрания периода с их датой и исходом." in text
    assert "Применимое право" not in text  # the inactive section is left out
    assert text.find("Собрания за период") < text.find("Что произошло: задержания")


@pytest.mark.django_db
def test_the_same_data_gives_the_same_figures_and_annex(demo):
    first = compile_report(report=ReportFactory(definition=definition("osce-odihr"), **FIRST_QUARTER))
    second = compile_report(
        report=ReportFactory(definition=definition("osce-odihr"), version=2, **FIRST_QUARTER)
    )

    def content(compiled, kind):
        return next(f.content for f in compiled.files if f.kind == kind)

    assert content(first, "json") == content(second, "json")
    sheets = [
        [list(sheet.iter_rows(values_only=True)) for sheet in load_workbook(io.BytesIO(content(c, "xlsx")))]
        for c in (first, second)
    ]
    assert sheets[0] == sheets[1]


@pytest.mark.django_db
def test_the_wgad_questionnaire_is_filled_from_the_record():
    from tests.cases.factories import (
        AppealFactory,
        ChargeFactory,
        CustodyPeriodFactory,
        DetentionFactory,
        HearingFactory,
        LegalCaseFactory,
        SentenceFactory,
    )
    from tests.events.factories import PlaceFactory
    from tests.people.factories import ConsentRecordFactory, PersonFactory

    almaty = ZoneInfo("Asia/Almaty")
    person = PersonFactory(full_name="Questionna Filledova", occupation="Blogger")
    ConsentRecordFactory(person=person, scope="un", given_on=dt.date(2019, 3, 1), how_recorded="signed form")
    detention = DetentionFactory(
        person=person,
        place=PlaceFactory(code="wgad-city", name_en="Wgadcity"),
        detained_at=dt.datetime(2019, 2, 27, 11, 30, tzinfo=almaty),
        authority="special_forces",
        detention_type="political_act",
    )
    CustodyPeriodFactory(
        detention=detention,
        kind="ivs",
        facility="Wgadcity IVS",
        started_on=dt.date(2019, 2, 27),
        ended_on=dt.date(2019, 3, 1),
    )
    CustodyPeriodFactory(
        detention=detention, kind="sizo", facility="SIZO No. 7", started_on=dt.date(2019, 3, 1), ended_on=None
    )
    case = LegalCaseFactory(
        person=person, kind="criminal", number="1975-0042", opened_on=dt.date(2019, 2, 28)
    )
    case.detentions.add(detention)
    ChargeFactory(legal_case=case, article=LegalArticle.objects.get(code="cc-174-1"))
    HearingFactory(
        legal_case=case,
        kind="restraint",
        court="Wgadcity district court",
        held_at=dt.datetime(2019, 2, 28, 10, tzinfo=almaty),
    )
    sentence = SentenceFactory(
        legal_case=case,
        decided_on=dt.date(2019, 3, 20),
        term_years=3,
        starts_on=dt.date(2019, 2, 27),
        status="serving",
    )
    AppealFactory(
        legal_case=case,
        sentence=sentence,
        filed_on=dt.date(2019, 3, 25),
        decided_on=dt.date(2019, 4, 20),
        outcome="upheld",
    )
    report = ReportFactory(
        definition=definition("un-wgad"),
        person=person,
        period_start=dt.date(2019, 4, 1),
        period_end=dt.date(2019, 4, 30),
    )

    compiled = compile_report(report=report)

    save(compiled, "un-wgad-filled")
    _pages, text = pdf_text(next(f.content for f in compiled.files if f.kind == "pdf"))
    flat = " ".join(text.split())
    for expected in (
        "Questionna Filledova",
        "Police special forces",
        "For free speech or non-violent political acts",
        "CC art. 174 part 1",
        "Wgadcity IVS",
        "SIZO No. 7",
        "Wgadcity district court",
        "Upheld",
        "Imprisonment 3y",
    ):
        assert expected in flat, expected
    docx = Docx(io.BytesIO(next(f.content for f in compiled.files if f.kind == "docx")))
    cells = [cell.text for table in docx.tables for row in table.rows for cell in row.cells]
    assert "SIZO No. 7" in cells
    assert compiled.figures["communication"]["articles"] == ["CC art. 174 part 1"]
