from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cases.models import Charge, CustodyPeriod, Detention, LegalArticle, LegalCase, Sentence
        from core import changes

        # The delta feed's types (core.changes): custody periods are part of a detention, charges and
        # sentences part of a legal case.
        changes.track(LegalArticle, "legal-article")
        changes.track(Detention, "detention")
        changes.track_child(CustodyPeriod, "detention", "detention")
        changes.track(LegalCase, "legal-case")
        changes.track_child(Charge, "legal_case", "legal-case")
        changes.track_child(Sentence, "legal_case", "legal-case")
