"""Report definitions and compiled reports. Compiling, rendering and the review flow come with the
reports issue; the models are here so the data model is whole from day one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Stamped


class RecipientBody(models.TextChoices):
    UN_WGAD = "un_wgad", _("UN Working Group on Arbitrary Detention")
    UN_SR_ASSEMBLY = (
        "un_sr_assembly",
        _("UN Special Rapporteur on freedom of peaceful assembly and of association"),
    )
    OSCE_ODIHR = "osce_odihr", _("OSCE/ODIHR")
    OSCE_RFOM = "osce_rfom", _("OSCE Representative on Freedom of the Media")
    EU = "eu", _("EU (EEAS / European Parliament)")


class ReportKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic summary")
    INDIVIDUAL = "individual", _("Individual communication")


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ON_DEMAND = "on_demand", _("On demand")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    COMPILING = "compiling", _("Compiling")
    REVIEW = "review", _("In review")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ReportDefinition(Stamped):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    recipient = models.CharField(_("recipient body"), max_length=20, choices=RecipientBody.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices, default=ReportKind.PERIODIC)
    cadence = models.CharField(
        _("cadence"), max_length=12, choices=Cadence.choices, default=Cadence.ON_DEMAND
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="en")
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One e-mail address per line."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("report definition")
        verbose_name_plural = _("report definitions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Report(Stamped):
    """One compiled version. Immutable once compiled; a recompile makes a new version."""

    definition = models.ForeignKey(
        ReportDefinition, verbose_name=_("definition"), on_delete=models.PROTECT, related_name="reports"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    failure_reason = models.TextField(_("failure reason"), blank=True)
    figures = models.JSONField(_("figures snapshot"), default=dict, blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to="reports/%Y/", blank=True)
    annex_file = models.FileField(_("annex (XLSX/CSV)"), upload_to="reports/%Y/", blank=True)
    json_file = models.FileField(_("JSON"), upload_to="reports/%Y/", blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_end", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "period_start", "period_end", "version"], name="unique_report_version"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_period"
            ),
        ]

    def __str__(self):
        return f"{self.definition} {self.period_start} – {self.period_end} v{self.version}"
