"""EU (EEAS human-rights dialogue, European Parliament): a political prisoners and trends briefing
(REPORTS.md §5). The prisoner list is everyone imprisoned or restricted, on the last day of the period, in
a case charged under a monitored article: the definition's `filters["articles"]` (legal article codes),
else MONITORED_ARTICLES. Serving a custodial or restricting sentence, or held before trial."""

from collections import Counter

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from cases.choices import SentenceKind, SentenceStatus
from cases.models import Charge, CustodyPeriod, Sentence
from reports.compiling.bodies import common
from reports.compiling.document import Table
from reports.compiling.figures import citation, held_on

MONITORED_ARTICLES = (
    "cc-174-1",
    "cc-174-2",
    "cc-179",
    "cc-274-1",
    "cc-274-2",
    "cc-378",
    "cc-380",
    "cc-400",
    "cc-405-1",
    "cc-405-2",
)
PRISON_SENTENCES = (SentenceKind.IMPRISONMENT, SentenceKind.RESTRICTION_OF_LIBERTY)


def _monitored(ctx: common.Context) -> tuple[str, ...]:
    return tuple(ctx.scope.definition.filters.get("articles") or MONITORED_ARTICLES)


def prisoner_cases(ctx: common.Context, *, described: bool):
    """Cases on monitored articles whose person is, on the period's last day, serving a prison or
    restriction-of-liberty sentence in it, or held (figures.held_on) while it is not yet decided."""
    scope, end = ctx.scope, ctx.scope.end
    on_article = scope.charges(described=described).filter(
        legal_case=OuterRef("pk"), article__code__in=_monitored(ctx)
    )
    serving = (
        scope.sentences(described=described)
        .filter(legal_case=OuterRef("pk"), kind__in=PRISON_SENTENCES)
        .filter(Q(starts_on__lte=end) | Q(starts_on__isnull=True, decided_on__lte=end))
        .exclude(status__in=(SentenceStatus.QUASHED, SentenceStatus.PARDONED, SentenceStatus.RELEASED_EARLY))
        .annotate(expected=Coalesce("ends_on_override", "ends_on"))
        .filter(Q(expected__gte=end) | Q(expected__isnull=True))
    )
    undecided = ~Q(Exists(scope.sentences(described=described).filter(legal_case=OuterRef("pk"))))
    held = held_on(scope, end)
    return (
        scope.legal_cases(described=described)
        .filter(Exists(on_article))
        .filter(Q(Exists(serving)) | (undecided & Q(person__in=held)))
    )


def _prisoners_table(ctx: common.Context) -> Table:
    cases = (
        prisoner_cases(ctx, described=True)
        .select_related("person")
        .prefetch_related(
            Prefetch("person__consents"),
            Prefetch("charges", queryset=Charge.objects.filter(is_deleted=False).select_related("article")),
            Prefetch(
                "sentences", queryset=Sentence.objects.filter(is_deleted=False).order_by("decided_on", "id")
            ),
            Prefetch(
                "detentions__custody_periods",
                queryset=CustodyPeriod.objects.filter(is_deleted=False).order_by("started_on", "id"),
            ),
            "sources",
        )
        .order_by("person__id", "opened_on", "id")
    )
    rows = []
    for case in cases:
        ctx.source_ids.update(s.pk for s in case.sources.all())
        detentions = sorted(case.detentions.all(), key=lambda d: d.detained_at)
        periods = [p for d in detentions for p in d.custody_periods.all()]
        sentences = [s for s in case.sentences.all() if s.kind in PRISON_SENTENCES]
        sentence = sentences[-1] if sentences else None
        since = (sentence.starts_on if sentence else None) or (periods[0].started_on if periods else None)
        rows.append(
            [
                ctx.namer(case.person),
                common.day(detentions[0].detained_at) if detentions else "—",
                "; ".join(sorted({c.article.citation for c in case.charges.all()})),
                str(sentence) if sentence else gettext("Held before trial"),
                common.day(since),
                common.day(sentence.expected_end) if sentence else "—",
                periods[-1].facility or str(periods[-1].get_kind_display()) if periods else "—",
                str(case.get_status_display()),
            ]
        )
    return Table(
        key="prisoners",
        caption=gettext("People imprisoned or restricted on the monitored articles"),
        columns=[
            gettext("Person"),
            gettext("Detained"),
            gettext("Articles"),
            gettext("Sentence"),
            gettext("Since"),
            gettext("Expected release"),
            gettext("Place held"),
            gettext("Status"),
        ],
        rows=rows,
        note=gettext("People who have not consented to be named to the EU appear under a stable pseudonym."),
    )


def _totals(ctx: common.Context) -> dict:
    """Prisoners per article and per year of their conviction (or of their case when not yet decided),
    counted (restricted records too when the definition allows it). Four queries."""
    cases = prisoner_cases(ctx, described=False)
    per_article = Counter()
    for row in (
        ctx.scope.charges()
        .filter(legal_case__in=cases, article__code__in=_monitored(ctx))
        .values("article__law", "article__number", "article__part", "legal_case__person_id")
        .distinct()
        .order_by()
    ):
        per_article[citation(row["article__law"], row["article__number"], row["article__part"])] += 1
    # The year of the conviction (the latest decision in the case), else of the case's opening.
    years: dict[int, int] = {}
    decided = ctx.scope.sentences().filter(legal_case__in=cases).values("legal_case__person_id", "decided_on")
    for row in decided.order_by():
        person, year = row["legal_case__person_id"], row["decided_on"].year
        years[person] = max(years.get(person, year), year)
    for row in cases.exclude(opened_on__isnull=True).values("person_id", "opened_on").order_by():
        years.setdefault(row["person_id"], row["opened_on"].year)
    per_year = Counter(str(year) for year in years.values())
    return {
        "people": cases.values("person_id").distinct().count(),
        "by_article": [
            {"label": k, "count": n} for k, n in sorted(per_article.items(), key=lambda i: (-i[1], i[0]))
        ],
        "by_year": [{"label": k, "count": n} for k, n in sorted(per_year.items())],
    }


def builders(ctx: common.Context) -> dict:
    scope = ctx.scope
    ctx.figures["prisoners"] = _totals(ctx)
    convictions = (
        scope.legal_cases(described=True)
        .filter(
            Exists(
                scope.sentences().filter(
                    legal_case=OuterRef("pk"), decided_on__gte=scope.start, decided_on__lte=scope.end
                )
            ),
            Exists(scope.charges().filter(legal_case=OuterRef("pk"), article__code__in=_monitored(ctx))),
        )
        .order_by("opened_on", "id")
    )
    ctx.figures["new_convictions"] = (
        scope.legal_cases()
        .filter(
            Exists(
                scope.sentences().filter(
                    legal_case=OuterRef("pk"), decided_on__gte=scope.start, decided_on__lte=scope.end
                )
            ),
            Exists(scope.charges().filter(legal_case=OuterRef("pk"), article__code__in=_monitored(ctx))),
        )
        .count()
    )
    ctx.key_figures = [
        (
            gettext("People imprisoned or restricted on the monitored articles"),
            ctx.figures["prisoners"]["people"],
        ),
        (gettext("New convictions on the monitored articles"), ctx.figures["new_convictions"]),
        *common.key_figures(ctx.figures),
    ]
    p = ctx.figures["prisoners"]
    return {
        "summary": lambda: [common.trends_table(ctx)],
        "recommendations": lambda: [
            common.placeholder(gettext("Numbered recommendations to the EU: to be written by the reviewer."))
        ],
        "prisoners": lambda: [
            _prisoners_table(ctx),
            common.grouped_table(
                p["by_article"],
                key="prisoners_by_article",
                caption=gettext("Prisoners by article"),
                column=gettext("Article"),
            ),
            common.grouped_table(
                p["by_year"],
                key="prisoners_by_year",
                caption=gettext("Prisoners by year of their case"),
                column=gettext("Year"),
            ),
        ],
        "convictions": lambda: [
            common.cases_table(
                ctx,
                common.cases_queryset(ctx, convictions),
                key="convictions",
                caption=gettext("New convictions on the monitored articles"),
            ),
            common.sentences_table(ctx),
        ],
        "key-figures": lambda: [common.trends_table(ctx), *common.new_cases_tables(ctx)],
    }
