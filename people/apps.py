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

        from core.history import version_restored
        from people.services import person_refresh_search_key

        def refresh_search_key(sender, record, **kwargs):
            """A restored full name or name text must be findable at once, like an edited one."""
            person_refresh_search_key(person=record if sender is Person else record.person)

        version_restored.connect(refresh_search_key, sender=Person, weak=False)
        version_restored.connect(refresh_search_key, sender=PersonName, weak=False)
