"""OSCE Representative on Freedom of the Media (REPORTS.md §4): journalists and bloggers detained or
obstructed, equipment seized, prosecutions for speech, internet and social-network restrictions.

Journalists and bloggers are the people with the `journalist` or `blogger` group tag; the articles that
count as prosecution for speech are the definition's `filters["speech_articles"]` (legal article codes),
else SPEECH_ARTICLES."""

from django.db.models import Q
from django.utils.translation import gettext

from events.models import IncidentKind
from reports.compiling.bodies import common

MEDIA_GROUPS = ("journalist", "blogger")
SPEECH_ARTICLES = ("cc-174-1", "cc-174-2", "cc-274-1", "cc-274-2", "cc-378", "aoc-453")
SEIZURE_TREATMENTS = ("phone-seized", "equipment-seized")
OBSTRUCTION_INCIDENTS = (IncidentKind.OBSTRUCTION_OF_JOURNALISTS, IncidentKind.THREATS, IncidentKind.ATTACK)
INTERNET_INCIDENTS = (IncidentKind.INTERNET_SHUTDOWN, IncidentKind.SOCIAL_NETWORK_BLOCK)


def builders(ctx: common.Context) -> dict:
    scope = ctx.scope
    articles = tuple(scope.definition.filters.get("speech_articles") or SPEECH_ARTICLES)
    media_people = scope.people().filter(groups__code__in=MEDIA_GROUPS).values("pk")
    media_detentions = scope.detentions_in_period().filter(person__in=media_people)
    speech_cases = (
        scope.legal_cases()
        .filter(opened_on__gte=scope.start, opened_on__lte=scope.end)
        .filter(
            Q(person__in=media_people) | Q(charges__article__code__in=articles, charges__is_deleted=False)
        )
        .distinct()
    )
    seized = scope.detentions_in_period().filter(treatment__code__in=SEIZURE_TREATMENTS).distinct()
    obstruction = common.incidents_in_period(ctx, OBSTRUCTION_INCIDENTS)
    internet = common.incidents_in_period(ctx, INTERNET_INCIDENTS)
    ctx.figures["media"] = {
        "journalists_detained": media_detentions.values("person_id").distinct().count(),
        "journalist_detentions": media_detentions.count(),
        "detentions_with_equipment_seized": seized.count(),
        "speech_prosecutions": speech_cases.count(),
        "obstruction_incidents": len(obstruction),
        "internet_restrictions": len(internet),
    }
    media = ctx.figures["media"]
    ctx.key_figures = [
        (gettext("Journalists and bloggers detained"), media["journalists_detained"]),
        (gettext("Detentions with equipment seized"), media["detentions_with_equipment_seized"]),
        (gettext("New prosecutions for speech"), media["speech_prosecutions"]),
        (gettext("Internet and social-network restrictions"), media["internet_restrictions"]),
    ]
    described_media = common._detentions_for_people(ctx).filter(person__in=media_people)
    return {
        "journalists": lambda: [
            common.individual_cases_table(
                ctx, described_media, key="journalists", caption=gettext("Journalists and bloggers detained")
            ),
            common.incidents_table(
                ctx, obstruction, key="obstruction", caption=gettext("Obstruction, threats and attacks")
            ),
        ],
        "equipment": lambda: [
            common.treatment_table(
                ctx, SEIZURE_TREATMENTS, key="equipment", caption=gettext("Detentions with equipment seized")
            )
        ],
        "prosecutions": lambda: [
            common.cases_table(
                ctx,
                common.cases_queryset(
                    ctx,
                    speech_cases.filter(confidentiality__in=scope.levels(described=True))
                    .filter(person__confidentiality__in=scope.levels(described=True))
                    .order_by("opened_on", "id"),
                ),
                key="prosecutions",
                caption=gettext("Prosecutions for speech opened in the period"),
            )
        ],
        "internet": lambda: [
            common.incidents_table(
                ctx, internet, key="internet", caption=gettext("Internet and social-network restrictions")
            )
        ],
    }
