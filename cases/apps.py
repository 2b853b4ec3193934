from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

URGENT_ALERTS_SCHEDULE = "Mail new urgent items to monitors and lawyers"


def schedule_urgent_alerts(sender, *, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """Fires after every `migrate` (and after `flush`, which gives no `apps`): creates the 15-minute schedule
    of the urgent alert mail (cases.tasks.send_urgent_alerts) unless one by that name exists, so an
    administrator's later changes to it in the admin are kept."""
    from core.schedules import ensure_periodic_task_after_migrate

    ensure_periodic_task_after_migrate(
        apps=apps,
        using=using,
        name=URGENT_ALERTS_SCHEDULE,
        task="cases.tasks.send_urgent_alerts",
        interval_minutes=15,
    )


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        post_migrate.connect(schedule_urgent_alerts, sender=self, dispatch_uid="cases.schedule_urgent_alerts")
        from cases.models import (
            Appeal,
            Charge,
            CustodyPeriod,
            Detention,
            Hearing,
            LegalArticle,
            LegalCase,
            Sentence,
        )
        from core import changes
        from events.models import Source

        # The delta feed's types (core.changes): custody periods are part of a detention, charges,
        # sentences, hearings and appeals part of a legal case.
        changes.track(LegalArticle, "legal-article")
        changes.track(Detention, "detention")
        changes.track_child(CustodyPeriod, "detention", "detention")
        changes.track(LegalCase, "legal-case")
        changes.track_child(Charge, "legal_case", "legal-case")
        changes.track_child(Sentence, "legal_case", "legal-case")
        for child, name in ((Hearing, "hearings"), (Appeal, "appeals")):
            changes.track_child(child, "legal_case", "legal-case")
            # A hearing's or appeal's sources are listed in the case (those the reader may see): a link
            # added or removed, or a linked source changing visibility, changes the case.
            changes.track_dependents(child, LegalCase, name, "legal-case", when={"sources"})
            changes.track_dependents(
                Source,
                LegalCase,
                f"{name}__sources",
                "legal-case",
                when={"confidentiality", "is_deleted", "shared_with"},
            )
