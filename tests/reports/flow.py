"""Helpers of the report workflow tests: the shipped definitions (found when the seed migration made them,
else created the same way), a stand-in compiler for the state machine's unit tests, and file checks."""

import json

from reports.compiling import Compiled, CompiledFile, ReportRefused
from reports.models import Cadence, RecipientBody, ReportDefinition, ReportKind

SHIPPED = {
    "un-sr-foaa": (RecipientBody.UN_SR_ASSEMBLY, ReportKind.PERIODIC, Cadence.MONTHLY),
    "un-wgad": (RecipientBody.UN_WGAD, ReportKind.INDIVIDUAL, Cadence.ON_DEMAND),
    "osce-odihr": (RecipientBody.OSCE_ODIHR, ReportKind.PERIODIC, Cadence.QUARTERLY),
    "osce-rfom": (RecipientBody.OSCE_RFOM, ReportKind.PERIODIC, Cadence.QUARTERLY),
    "eu-briefing": (RecipientBody.EU, ReportKind.PERIODIC, Cadence.QUARTERLY),
}
RECIPIENTS = "un-sr-test@example.org\nsecond-test@example.org"


def definition(slug: str, **fields) -> ReportDefinition:
    recipient, kind, cadence = SHIPPED[slug]
    found, _created = ReportDefinition.objects.get_or_create(
        slug=slug, defaults={"name": slug, "recipient": recipient, "kind": kind, "cadence": cadence}
    )
    if fields:
        for name, value in fields.items():
            setattr(found, name, value)
        found.save()
    return found


PDF = b"%PDF-1.4 test report\n%%EOF"


class FakeCompiler:
    """Stands in for reports.compiling.compile_report in the state machine's unit tests: records each
    call, names `named`, and refuses or raises when told to."""

    def __init__(self, named=(), refuse: str | None = None, error: Exception | None = None):
        self.calls = []
        self.named = list(named)
        self.refuse = refuse
        self.error = error

    def __call__(self, *, report, progress):
        self.calls.append(report.pk)
        progress("Counting detentions")
        if self.refuse:
            raise ReportRefused(self.refuse)
        if self.error:
            raise self.error
        figures = {"detentions": 7, "people_held_on_last_day": 2}
        return Compiled(
            figures=figures,
            files=[
                CompiledFile("pdf", "report.pdf", PDF, "application/pdf"),
                CompiledFile("xlsx", "annex.xlsx", b"PK\x03\x04 annex", "application/octet-stream"),
                CompiledFile("json", "figures.json", json.dumps(figures).encode(), "application/json"),
            ],
            named_people=self.named,
        )
