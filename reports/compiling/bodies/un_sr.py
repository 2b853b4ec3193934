"""UN Special Rapporteur on the rights to freedom of peaceful assembly and of association: a periodic
summary of a pattern (REPORTS.md §2) — the events, what happened, who did it, the cases, the people."""

from django.utils.translation import gettext

from reports.compiling.bodies import common
from reports.compiling.document import Paragraphs


def builders(ctx: common.Context) -> dict:
    assemblies = common.assembly_rows(ctx)
    per_assembly = common.detentions_per_assembly(ctx, assemblies)
    return {
        "summary": lambda: [Paragraphs(texts=[common.counted_note(ctx)])],
        "events": lambda: [common.assemblies_table(ctx, assemblies, per_assembly)],
        "detentions": lambda: common.detention_blocks(ctx),
        "force": lambda: [common.treatment_table(ctx)],
        "perpetrators": lambda: [common.authority_table(ctx)],
        "cases": lambda: common.new_cases_tables(ctx),
        "sentences": lambda: [common.sentences_table(ctx)],
        "victims": lambda: [common.individual_cases_table(ctx)],
        "domestic-remedies": lambda: [
            common.placeholder(
                gettext("Domestic steps taken and the authorities' responses: to be completed.")
            )
        ],
    }
