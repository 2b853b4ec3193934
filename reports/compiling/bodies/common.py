"""Blocks several bodies' reports share: the key figures, the detention tables and charts, the assemblies
table, the case and sentence tables, the individual cases annex and the sources list."""

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext

from cases.choices import Authority, DetentionOutcome
from cases.models import Charge, Detention, LegalCase, Sentence
from events.models import Assembly, CauseTag, Incident
from people.models import ConsentRecord, GroupTag
from reports.compiling.document import MAX_DOCUMENT_ROWS, Paragraphs, Table
from reports.compiling.figures import key_figure_label
from reports.compiling.naming import Namer, Redactor, with_consents
from reports.compiling.scope import Places, Scope


class Context:
    """What a body builder works with: the scope, the places, the figures already computed, and the one
    Namer of the report (so `named_people` lists everyone it named)."""

    def __init__(self, scope: Scope, places: Places, figures: dict):
        self.scope = scope
        self.places = places
        self.figures = figures
        self.namer = Namer(scope.consent_scope)
        self.redactor = Redactor(self.namer)
        self.language = scope.language[:2]
        self.source_ids: set[int] = set()
        self.source_queries: list = []  # subqueries of source ids, for lists too long to hold as ids
        self.key_figures: list[tuple[str, int]] = []


def day(value) -> str:
    """ISO date; a date-time by its local day."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat()


def key_figures(figures: dict) -> list[tuple[str, int]]:
    return [(key_figure_label(key), value) for key, value in figures["key_figures"].items()]


def counted_note(ctx: Context) -> str:
    if ctx.scope.definition.count_restricted:
        return gettext("Figures include records marked restricted; those are never described or named.")
    return gettext("Figures leave out records marked restricted.")


def detention_blocks(ctx: Context, *, with_day: bool = True) -> list:
    d = ctx.figures["detentions"]
    summary = Table(
        key="detentions",
        caption=gettext("Detained in the period and held on its last day"),
        columns=[gettext("Figure"), gettext("Number")],
        rows=[
            [gettext("Detentions in the period"), d["total"]],
            [gettext("People detained in the period"), d["people_detained"]],
            [gettext("People held on the last day of the period"), d["people_held_on_last_day"]],
        ],
        note=gettext(
            "A person detained twice is two detentions and one person. People held on the last day include "
            "those detained earlier and still in custody or serving a custodial sentence."
        ),
    )
    blocks = [summary]
    blocks.append(
        Table(
            key="by_city",
            caption=gettext("Detentions by city"),
            columns=[gettext("City"), gettext("Detentions")],
            rows=[[row["name"], row["count"]] for row in d["by_city"]],
        )
    )
    if with_day:
        blocks.append(
            Table(
                key="by_day",
                caption=gettext("Detentions by day"),
                columns=[gettext("Date"), gettext("Detentions")],
                rows=[[row["date"], row["count"]] for row in d["by_day"] if row["count"]],
                note=gettext(
                    "Days without detentions are left out of the table, not of the chart. Detentions whose "
                    "day is not known (only the month or year): %(n)s."
                )
                % {"n": d["day_not_known"]},
            )
        )
    blocks.append(
        Table(
            key="by_outcome",
            caption=gettext("Detentions by outcome"),
            columns=[gettext("Outcome"), gettext("Detentions")],
            rows=[[row["label"], row["count"]] for row in d["by_outcome"]],
        )
    )
    return blocks


def authority_table(ctx: Context) -> Table:
    return Table(
        key="by_authority",
        caption=gettext("Detentions by detaining authority"),
        columns=[gettext("Authority"), gettext("Detentions")],
        rows=[[row["label"], row["count"]] for row in ctx.figures["detentions"]["by_authority"]],
    )


def treatment_table(
    ctx: Context, codes: tuple[str, ...] | None = None, *, key="treatment", caption=""
) -> Table:
    rows = [row for row in ctx.figures["treatment"] if codes is None or row["code"] in codes]
    return Table(
        key=key,
        caption=caption or gettext("Use of force and ill-treatment (detentions with each)"),
        columns=[gettext("Treatment"), gettext("Detentions")],
        rows=[[row["label"], row["count"]] for row in rows],
    )


def assembly_rows(ctx: Context) -> list[Assembly]:
    """The assemblies of the period a report may describe (not restricted), with what their rows show."""
    return list(
        ctx.scope.assemblies_in_period(described=True)
        .prefetch_related(Prefetch("causes", queryset=CauseTag.objects.order_by("code")), "sources")
        .order_by("starts_at", "place__name_en", "id")
    )


def assemblies_table(ctx: Context, assemblies: list[Assembly], detentions: dict[int, int]) -> Table:
    rows = []
    for a in assemblies:
        ctx.source_ids.update(s.pk for s in a.sources.all())
        participants = "–".join(str(n) for n in (a.participants_low, a.participants_high) if n) or "—"
        rows.append(
            [
                day(a.starts_at)
                + (f" – {day(a.ends_at)}" if a.ends_at and day(a.ends_at) != day(a.starts_at) else ""),
                ctx.places.name(ctx.places.city(a.place_id)),
                str(a.get_kind_display()),
                ", ".join(c.name_in(ctx.language) for c in a.causes.all()) or "—",
                participants,
                str(a.get_notification_display()),
                str(a.get_outcome_display()),
                detentions.get(a.pk, 0),
                a.reported_detainees if a.reported_detainees is not None else "—",
            ]
        )
    return Table(
        key="assemblies",
        caption=gettext("Assemblies in the period"),
        columns=[
            gettext("Date"),
            gettext("City"),
            gettext("Kind"),
            gettext("Demands"),
            gettext("Participants"),
            gettext("Notification"),
            gettext("Outcome"),
            gettext("Detentions recorded"),
            gettext("Detainees reported"),
        ],
        rows=rows,
    )


def detentions_per_assembly(ctx: Context, assemblies: list[Assembly]) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        ctx.scope.detentions()
        .filter(assembly__in=[a.pk for a in assemblies])
        .values("assembly_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["assembly_id"]: row["n"] for row in rows}


def new_cases_tables(ctx: Context) -> list[Table]:
    tables = []
    for kind, caption in (
        ("administrative", gettext("New administrative cases by article")),
        ("criminal", gettext("New criminal cases by article")),
    ):
        data = ctx.figures["new_cases"][kind]
        tables.append(
            Table(
                key=f"new_{kind}_cases",
                caption=caption,
                columns=[gettext("Article"), gettext("Title"), gettext("Cases")],
                rows=[[row["citation"], row["title"], row["count"]] for row in data["by_article"]],
                note=gettext(
                    "%(n)s cases opened in the period; a case charged under two articles counts under each."
                )
                % {"n": data["cases"]},
            )
        )
    return tables


def sentences_table(ctx: Context) -> Table:
    data = ctx.figures["sentences"]
    return Table(
        key="sentences",
        caption=gettext("Sentences handed down in the period"),
        columns=[gettext("Kind"), gettext("Sentences"), gettext("Months in all"), gettext("Days in all")],
        rows=[[row["label"], row["count"], row["term_months"], row["term_days"]] for row in data["by_kind"]],
    )


SENTENCE_FIELDS = (
    "id",
    "legal_case_id",
    "kind",
    "term_years",
    "term_months",
    "term_days",
    "amount",
    "currency",
)
CHUNK = 2000


def _detentions_for_people(ctx: Context):
    """The detentions of the period a report may describe, with only the columns the table shows: a yearly
    report lists tens of thousands, read in chunks (see individual_cases_table)."""
    cases = (
        LegalCase.objects.filter(is_deleted=False)
        .only("id")
        .prefetch_related(
            Prefetch(
                "charges",
                queryset=Charge.objects.filter(is_deleted=False)
                .select_related("article")
                .only("id", "legal_case_id", "article__law", "article__number", "article__part"),
            ),
            Prefetch("sentences", queryset=Sentence.objects.filter(is_deleted=False).only(*SENTENCE_FIELDS)),
        )
    )
    consents = ConsentRecord.objects.filter(is_deleted=False).only(
        "id", "person_id", "scope", "withdrawn_on", "is_deleted", "full_name_allowed"
    )
    groups = GroupTag.objects.order_by("code").only("id", "code", "name_en", "name_ru", "name_kk")
    return (
        ctx.scope.detentions_in_period(described=True)
        .select_related("person", "assembly")
        .only(
            "id",
            "person_id",
            "assembly_id",
            "place_id",
            "detained_at",
            "authority",
            "outcome",
            "person__id",
            "person__full_name",
            "person__confidentiality",
            "assembly__id",
            "assembly__place_id",
        )
        .prefetch_related(
            Prefetch("person__consents", queryset=consents),
            Prefetch("person__groups", queryset=groups),
            Prefetch("legal_cases", queryset=cases),
        )
        .order_by("detained_at", "id")
    )


def individual_cases_table(ctx: Context, detentions=None, *, key="individual_cases", caption="") -> Table:
    """One row per detention of the period: the person under their name (with consent) or pseudonym, their
    groups, where and when, the outcome, the articles and sentences of the cases grown from it."""
    if detentions is None:
        detentions = _detentions_for_people(ctx)
    through = Detention.sources.through.objects.filter(detention__in=detentions.order_by().values("pk"))
    ctx.source_queries.append(through.values("source_id"))
    rows = []
    # Labels looked up once, not translated again for each of thousands of rows.
    authorities = {code: str(label) for code, label in Authority.choices}
    outcomes = {code: str(label) for code, label in DetentionOutcome.choices}
    # In chunks, prefetching per chunk: memory stays flat however many detentions the period has.
    for d in detentions.iterator(chunk_size=CHUNK):
        cases = list(d.legal_cases.all())
        articles = sorted({c.article.citation for case in cases for c in case.charges.all()})
        sentences = [str(s) for case in cases for s in case.sentences.all()]
        place = d.place_id or (d.assembly.place_id if d.assembly else None)
        rows.append(
            [
                ctx.namer(d.person),
                ", ".join(g.name_in(ctx.language) for g in d.person.groups.all()) or "—",
                day(d.detained_at),
                ctx.places.name(ctx.places.city(place)) or "—",
                authorities.get(d.authority, d.authority),
                outcomes.get(d.outcome, d.outcome),
                "; ".join(articles) or "—",
                "; ".join(sentences) or "—",
            ]
        )
    return Table(
        key=key,
        caption=caption or gettext("Individual cases"),
        columns=[
            gettext("Person"),
            gettext("Group"),
            gettext("Detained"),
            gettext("City"),
            gettext("Authority"),
            gettext("Outcome"),
            gettext("Articles"),
            gettext("Sentence"),
        ],
        rows=rows,
        note=gettext(
            "People who have not consented to be named to this body appear under a stable pseudonym."
        ),
    )


def prefetch_people(queryset):
    return with_consents(queryset)


def incidents_in_period(ctx: Context, kinds) -> list[Incident]:
    return list(
        ctx.scope.incidents(described=True)
        .filter(kind__in=kinds, starts_on__lte=ctx.scope.end)
        .filter(Q(starts_on__gte=ctx.scope.start) | Q(ends_on__gte=ctx.scope.start))
        .prefetch_related("sources")
        .order_by("starts_on", "kind", "id")
    )


def sources_list(ctx: Context) -> list[str]:
    """The sources the report's rows rest on that may leave the system (public or partners), titles
    redacted like any free text. For the confidential block only. One or two queries."""
    if not ctx.source_ids and not ctx.source_queries:
        return []
    condition = Q(pk__in=sorted(ctx.source_ids))
    for query in ctx.source_queries:
        condition |= Q(pk__in=query)
    listed = ctx.scope.sources().filter(condition).order_by("published_on", "title", "id")
    sources = list(listed[: MAX_DOCUMENT_ROWS + 1])
    titles = ctx.redactor.redact_all([s.title for s in sources])
    lines = []
    for source, title in zip(sources, titles, strict=True):
        parts = [title, str(source.get_kind_display())]
        if source.published_on:
            parts.append(source.published_on.isoformat())
        if source.url:
            parts.append(source.url)
        lines.append(" — ".join(parts))
    if len(lines) > MAX_DOCUMENT_ROWS:
        more = listed.count() - MAX_DOCUMENT_ROWS
        lines[MAX_DOCUMENT_ROWS:] = [gettext("… and %(n)s more sources, listed in Kuzet.") % {"n": more}]
    return lines


def placeholder(text: str) -> Paragraphs:
    return Paragraphs(texts=[text], placeholder=True)


__all__ = ["Context", "Detention"]


def incidents_table(ctx: Context, incidents: list[Incident], *, key: str, caption: str) -> Table:
    """Incidents with their dates, kind, place and title (redacted: a title may name someone)."""
    titles = ctx.redactor.redact_all([i.title for i in incidents])
    rows = []
    for incident, title in zip(incidents, titles, strict=True):
        ctx.source_ids.update(s.pk for s in incident.sources.all())
        until = f" – {incident.ends_on.isoformat()}" if incident.ends_on else ""
        rows.append(
            [
                incident.starts_on_edtf + until,
                str(incident.get_kind_display()),
                ctx.places.name(ctx.places.city(incident.place_id)) if incident.place_id else "—",
                title,
            ]
        )
    return Table(
        key=key,
        caption=caption,
        columns=[gettext("Dates"), gettext("Kind"), gettext("Place"), gettext("What happened")],
        rows=rows,
    )


def trends_table(ctx: Context) -> Table:
    previous = ctx.figures["previous_period"]
    return Table(
        key="trends",
        caption=gettext("Against the previous period (%(start)s – %(end)s)") % previous,
        columns=[gettext("Figure"), gettext("This period"), gettext("Previous period"), gettext("Change")],
        rows=[
            [
                row["label"],
                row["current"],
                row["previous"],
                f"{row['change']:+d}"
                + (f" ({row['change_percent']:+d}%)" if row["change_percent"] is not None else ""),
            ]
            for row in ctx.figures["trends"]
        ],
    )


def grouped_table(rows: list[dict], *, key: str, caption: str, column: str) -> Table:
    return Table(
        key=key,
        caption=caption,
        columns=[column, gettext("Number")],
        rows=[[row.get("label") or row.get("name"), row["count"]] for row in rows],
    )


def cases_table(ctx: Context, cases, *, key: str, caption: str) -> Table:
    """Legal cases with their person (name or pseudonym), kind, articles, dates, status and sentences."""
    rows = []
    for case in cases:
        ctx.source_ids.update(s.pk for s in case.sources.all())
        rows.append(
            [
                ctx.namer(case.person),
                str(case.get_kind_display()),
                "; ".join(sorted({c.article.citation for c in case.charges.all()})) or "—",
                day(case.opened_on),
                str(case.get_status_display()),
                "; ".join(str(s) for s in case.sentences.all()) or "—",
            ]
        )
    return Table(
        key=key,
        caption=caption,
        columns=[
            gettext("Person"),
            gettext("Kind"),
            gettext("Articles"),
            gettext("Opened"),
            gettext("Status"),
            gettext("Sentence"),
        ],
        rows=rows,
        note=gettext(
            "People who have not consented to be named to this body appear under a stable pseudonym."
        ),
    )


def cases_queryset(ctx: Context, queryset):
    return queryset.select_related("person").prefetch_related(
        Prefetch("person__consents"),
        Prefetch("charges", queryset=Charge.objects.filter(is_deleted=False).select_related("article")),
        Prefetch("sentences", queryset=Sentence.objects.filter(is_deleted=False)),
        "sources",
    )
