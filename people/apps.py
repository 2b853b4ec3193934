from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from core import changes
        from people.models import ConsentRecord, Person, PersonName

        # The delta feed's `person`: names and consents are part of it (consent decides name or pseudonym).
        changes.track(Person, "person")
        changes.track_child(PersonName, "person", "person")
        changes.track_child(ConsentRecord, "person", "person")
