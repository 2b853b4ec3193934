"""Compiling one report: figures from the database, the files each body asks for, nothing written.

`compile_report` is the only entry point. It reads the database as of now and returns the figures and the
rendered files; `reports.services` stores them on the Report and moves it through the review workflow. The
compiler never names a person without an active consent for the body's scope (people.disclosure).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from people.models import Person
from reports.models import Report


@dataclass(frozen=True)
class CompiledFile:
    kind: str  # "pdf", "xlsx", "json" or "docx": the Report file field it goes to (pdf_file, annex_file ...)
    filename: str
    content: bytes
    content_type: str


@dataclass
class Compiled:
    figures: dict
    files: list[CompiledFile]
    named_people: list[Person] = field(default_factory=list)  # people the report names (consent checked)


class ReportRefused(Exception):
    """The report may not be compiled (e.g. an individual communication without the person's consent); the
    message says why in words an analyst understands."""


def compile_report(*, report: Report, progress: Callable[[str], None] = lambda message: None) -> Compiled:
    """Compile `report` (its definition, period, language and, for an individual communication, person).

    `progress` is called with a short line per step (the management command prints them).
    Raises ReportRefused when the report may not be made."""
    # Imported here: build imports this module's dataclasses, and loading it pulls in every renderer.
    from reports.compiling.build import build

    return build(report=report, progress=progress)
