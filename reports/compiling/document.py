"""A compiled report as data, before any format: the body builders fill it, the PDF, DOCX and XLSX
renderers read it. Every string in it is already translated and already safe to show the body (names
checked against consent, free text redacted)."""

from dataclasses import dataclass, field
from typing import ClassVar

from reports.models import ReportDefinition, ReportSection

MAX_DOCUMENT_ROWS = 400


@dataclass
class Table:
    kind: ClassVar[str] = "table"
    key: str  # the XLSX sheet name comes from it
    caption: str
    columns: list[str]
    rows: list[list]
    note: str = ""
    in_xlsx: bool = True

    @property
    def shown_rows(self) -> list[list]:
        """The rows the PDF and DOCX show: a yearly report may list thousands of detentions, which belong in
        the XLSX (it has them all), not in a thousand-page PDF."""
        return self.rows[:MAX_DOCUMENT_ROWS]

    @property
    def rows_left_out(self) -> int:
        return max(len(self.rows) - MAX_DOCUMENT_ROWS, 0)


@dataclass
class Chart:
    kind: ClassVar[str] = "chart"
    caption: str
    svg: str


@dataclass
class Fields:
    kind: ClassVar[str] = "fields"
    """Label: value pairs, as a form is filled in (the WGAD questionnaire)."""

    rows: list[tuple[str, str]]
    caption: str = ""


@dataclass
class Paragraphs:
    kind: ClassVar[str] = "paragraphs"
    texts: list[str]
    placeholder: bool = False  # for the lawyer or reviewer to complete: shown as a box to fill


@dataclass
class Section:
    key: str
    title: str
    text: str = ""
    blocks: list = field(default_factory=list)
    confidential: bool = False  # the submitter and the sources: never in an annex


@dataclass
class Document:
    title: str
    recipient: str
    period: str
    language: str
    subtitle: str = ""
    key_figures: list[tuple[str, int | str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    confidential_note: str = ""
    compiled_note: str = ""
    sections: list[Section] = field(default_factory=list)
    annex: Table | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        found = [
            block
            for section in self.sections
            if not section.confidential
            for block in section.blocks
            if isinstance(block, Table)
        ]
        return [table for table in found if table.in_xlsx]

    @property
    def public_sections(self) -> list[Section]:
        return [section for section in self.sections if not section.confidential]

    @property
    def confidential_sections(self) -> list[Section]:
        return [section for section in self.sections if section.confidential]


CONFIDENTIAL_KEYS = frozenset({"submitter", "confidentiality", "sources"})


def section_wording(definition: ReportDefinition, language: str) -> list[tuple[str, str, str]]:
    """(key, title, text) of the definition's active sections, in order, in `language` when the Russian
    wording is filled (English otherwise). One query."""
    rows = []
    for section in ReportSection.objects.filter(definition=definition, is_active=True, is_deleted=False):
        title, text = section.title, section.text
        if language.startswith("ru"):
            title = section.title_ru or title
            text = section.text_ru or text
        rows.append((section.key, title, text))
    return rows


def assemble(definition: ReportDefinition, language: str, builders: dict) -> list[Section]:
    """The report's sections in the definition's order: each section's editable wording, then what its
    builder generates (`builders[key]()` → blocks). A section with no builder is wording only; a builder
    whose section is inactive or missing is left out."""
    sections = []
    for key, title, text in section_wording(definition, language):
        build = builders.get(key)
        blocks = build() if build else []
        sections.append(
            Section(key=key, title=title, text=text, blocks=blocks, confidential=key in CONFIDENTIAL_KEYS)
        )
    return sections
