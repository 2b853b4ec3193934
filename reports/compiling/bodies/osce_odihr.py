"""OSCE/ODIHR: an assembly monitoring summary (REPORTS.md §3) — findings by theme (notification,
restrictions, policing and force, detentions, monitors and media), per region, and trends against the
previous quarter. Aggregates only: nobody is named."""

from django.utils.translation import gettext

from events.models import IncidentKind
from reports.compiling.bodies import common
from reports.compiling.document import Table

RESTRICTION_INCIDENTS = (IncidentKind.CORDON, IncidentKind.CURFEW)
MONITOR_INCIDENTS = (
    IncidentKind.EXPULSION_OF_MONITORS,
    IncidentKind.OBSTRUCTION_OF_JOURNALISTS,
    IncidentKind.ATTACK,
    IncidentKind.THREATS,
)
FORCE_TREATMENTS = ("force-at-arrest", "dragged", "beaten", "threatened")


def _regions(ctx: common.Context) -> Table:
    return Table(
        key="regions",
        caption=gettext("Per region"),
        columns=[
            gettext("Region"),
            gettext("Assemblies"),
            gettext("Restricted or prevented"),
            gettext("Dispersed or met with force"),
            gettext("Detentions"),
        ],
        rows=[
            [r["name"], r["assemblies"], r["restricted"], r["dispersed"], r["detentions"]]
            for r in ctx.figures["regions"]
        ],
    )


def builders(ctx: common.Context) -> dict:
    assemblies = common.assembly_rows(ctx)
    per_assembly = common.detentions_per_assembly(ctx, assemblies)
    a = ctx.figures["assemblies"]
    return {
        "summary": lambda: [],
        "recommendations": lambda: [
            common.placeholder(gettext("Consolidated recommendations: to be written."))
        ],
        "notification": lambda: [
            common.grouped_table(
                a["by_notification"],
                key="notification",
                caption=gettext("Assemblies by notification"),
                column=gettext("Notification"),
            )
        ],
        "restrictions": lambda: [
            common.grouped_table(
                a["by_outcome"],
                key="assembly_outcomes",
                caption=gettext("Assemblies by outcome"),
                column=gettext("Outcome"),
            ),
            common.incidents_table(
                ctx,
                common.incidents_in_period(ctx, RESTRICTION_INCIDENTS),
                key="restrictions",
                caption=gettext("Cordons and curfews"),
            ),
        ],
        "policing": lambda: [
            common.treatment_table(
                ctx, FORCE_TREATMENTS, key="force", caption=gettext("Force used at detention")
            ),
            common.authority_table(ctx),
        ],
        "detentions": lambda: [_regions(ctx), *common.detention_blocks(ctx, with_day=False)],
        "monitors-media": lambda: [
            common.incidents_table(
                ctx,
                common.incidents_in_period(ctx, MONITOR_INCIDENTS),
                key="monitors_media",
                caption=gettext("Treatment of monitors and media"),
            )
        ],
        "trends": lambda: [common.trends_table(ctx)],
        "assemblies": lambda: [common.assemblies_table(ctx, assemblies, per_assembly)],
    }
