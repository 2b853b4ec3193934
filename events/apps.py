from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from core import changes
        from events.models import Assembly, Incident, Place, Source

        # The delta feed's types (core.changes): each is the basename of its API endpoint.
        changes.track(Place, "place")
        changes.track(Assembly, "assembly")
        changes.track(Incident, "incident")
        changes.track(Source, "source")
