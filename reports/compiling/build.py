"""compile_report's body: figures, the body's sections, the annex, then the four files."""

import datetime as dt
from collections.abc import Callable

from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from reports.compiling import Compiled, CompiledFile, ReportRefused, charts
from reports.compiling.annex import annex_rows, annex_table
from reports.compiling.bodies import common, eu, osce_odihr, osce_rfom, un_sr, un_wgad
from reports.compiling.document import Document, assemble
from reports.compiling.figures import period_figures
from reports.compiling.render_docx import render_docx
from reports.compiling.render_json import render_json
from reports.compiling.render_pdf import render_pdf
from reports.compiling.render_xlsx import render_xlsx
from reports.compiling.scope import Places, Scope
from reports.models import RecipientBody, Report, ReportKind

PERIODIC = {
    RecipientBody.UN_SR_ASSEMBLY: un_sr,
    RecipientBody.OSCE_ODIHR: osce_odihr,
    RecipientBody.OSCE_RFOM: osce_rfom,
    RecipientBody.EU: eu,
}
WITH_TRENDS = (RecipientBody.OSCE_ODIHR, RecipientBody.EU)

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JSON = "application/json"


def _period(start: dt.date, end: dt.date) -> str:
    return gettext("Period: %(start)s – %(end)s") % {
        "start": formats.date_format(start, "DATE_FORMAT"),
        "end": formats.date_format(end, "DATE_FORMAT"),
    }


def build(*, report: Report, progress: Callable[[str], None]) -> Compiled:
    definition = report.definition
    language = report.language or definition.language or "en"
    with translation.override(language):
        scope = Scope.of(report)
        places = Places(language)
        individual = definition.kind == ReportKind.INDIVIDUAL or definition.recipient == RecipientBody.UN_WGAD
        if individual:
            ctx, builders = _individual(report, scope, places, progress)
        else:
            progress(
                gettext("Counting the figures for %(start)s – %(end)s")
                % {"start": scope.start, "end": scope.end}
            )
            figures = period_figures(scope, places, with_trends=definition.recipient in WITH_TRENDS)
            ctx = common.Context(scope, places, figures)
            ctx.key_figures = common.key_figures(figures)
            module = PERIODIC.get(definition.recipient, un_sr)
            builders = module.builders(ctx)
        progress(gettext("Writing the sections"))
        sections = assemble(definition, language, builders)
        compiled_at = timezone.localtime(timezone.now())
        document = Document(
            title=definition.name,
            recipient=str(definition.get_recipient_display()),
            period=_period(scope.start, scope.end),
            language=language,
            subtitle=(gettext("Concerning %(person)s") % {"person": ctx.figures["communication"]["person"]})
            if individual
            else "",
            key_figures=ctx.key_figures,
            sections=sections,
            compiled_note=gettext("Version %(version)s, compiled from the database on %(date)s.")
            % {"version": report.version, "date": compiled_at.strftime("%Y-%m-%d %H:%M")},
            confidential_note=gettext(
                "The submitter and the sources are for the body's staff only: do not publish them or pass "
                "them on. They are never part of the data annex."
            ),
        )
        if not individual:
            document.charts = [
                charts.detentions_per_day(ctx.figures["detentions"]["by_day"]),
                charts.detentions_per_city(ctx.figures["detentions"]["by_city"]),
            ]
            progress(gettext("Building the data annex"))
            rows = annex_rows(scope, places, ctx.redactor)
            ctx.figures["annex"] = {
                "assembly_days": len(rows),
                "detentions": sum(r["detentions"] for r in rows),
            }
            document.annex = annex_table(rows)
        document.sources = common.sources_list(ctx)
        created = report.created_at or compiled_at
        stem = _stem(report, ctx)
        progress(gettext("Rendering the PDF"))
        files = [CompiledFile("pdf", f"{stem}.pdf", render_pdf(document, created=created), PDF)]
        progress(gettext("Rendering the XLSX, DOCX and JSON"))
        files.append(CompiledFile("xlsx", f"{stem}.xlsx", render_xlsx(document, created=created), XLSX))
        files.append(CompiledFile("docx", f"{stem}.docx", render_docx(document, created=created), DOCX))
        files.append(CompiledFile("json", f"{stem}.json", render_json(ctx.figures), JSON))
    return Compiled(figures=ctx.figures, files=files, named_people=ctx.namer.named_people())


def _individual(report: Report, scope: Scope, places: Places, progress):
    person = report.person
    if person is None:
        raise ReportRefused(gettext("An individual communication needs the person it is about."))
    try:
        un_wgad.check_consent(person)
    except un_wgad.Refusal as refusal:
        raise ReportRefused(str(refusal)) from None
    progress(gettext("Filling the questionnaire from the person's record"))
    figures = {
        "period": {"start": scope.start.isoformat(), "end": scope.end.isoformat()},
        "restricted_records_counted": False,
    }
    ctx = common.Context(scope, places, figures)
    return ctx, un_wgad.builders(ctx, person)


def _stem(report: Report, ctx) -> str:
    # No name in a file name: a file name travels further than the file (mail subjects, logs).
    stem = (
        f"{report.definition.slug}-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}-v{report.version}"
    )
    if report.person_id:
        stem += f"-k{report.person_id:05d}"
    return stem
