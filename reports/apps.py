from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# When each cadence's report is queued (the server's TIME_ZONE): the period just ended, early next morning.
CRONTABS = {
    "monthly": {"minute": "0", "hour": "2", "day_of_month": "1"},
    "quarterly": {"minute": "0", "hour": "2", "day_of_month": "1", "month_of_year": "1,4,7,10"},
}


def periodic_task_name(slug: str) -> str:
    return f"Queue report {slug}"


def ensure_report_schedules(sender=None, using="default", **kwargs) -> None:
    """Fires after `migrate` (post_migrate of this app): one beat schedule per active periodic definition,
    created once; from then on administrators edit or disable it in the admin (core.schedules keeps their
    edits)."""
    from django.conf import settings

    from core.schedules import ensure_periodic_task
    from reports.models import ReportDefinition, ReportKind

    definitions = ReportDefinition.objects.using(using).filter(
        kind=ReportKind.PERIODIC, is_active=True, cadence__in=list(CRONTABS)
    )
    for definition in definitions:
        ensure_periodic_task(
            name=periodic_task_name(definition.slug),
            task="reports.queue_periodic_report",
            crontab={**CRONTABS[definition.cadence], "timezone": settings.TIME_ZONE},
            kwargs={"slug": definition.slug},
        )


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        post_migrate.connect(
            ensure_report_schedules, sender=self, dispatch_uid="reports.ensure_report_schedules"
        )
        _register_panels()


def _person_interventions(*, user, person) -> dict:
    from reports.selectors import interventions_for_person

    return {"interventions": interventions_for_person(user=user, person=person)}


def _awaiting_reply(*, user, today) -> dict:
    from reports.selectors import interventions_awaiting_reply

    return {"interventions": interventions_awaiting_reply(user=user, today=today)}


def _register_panels() -> None:
    """What was sent to international bodies, on the person page and the dashboard (cases.panels)."""
    from cases.panels import DASHBOARD_PANELS, PERSON_PANELS, Panel, panel_register

    panel_register(PERSON_PANELS, Panel("reports/_person_interventions.html", _person_interventions))
    panel_register(DASHBOARD_PANELS, Panel("reports/_dashboard_interventions.html", _awaiting_reply))
