"""Report definitions (with their editable section wording), compiled reports (frozen snapshots, one row per
version), and interventions: what was sent to which body about whom, and what it answered.

Compiling lives in `reports.compiling` (figures, annex, renderers), the queue and the review workflow in
`reports.services` and `reports.tasks`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Stamped
from people.models import ConsentScope, Person


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


# The consent scope that lets a person be named to each body (people.disclosure decides with it).
CONSENT_SCOPE_FOR = {
    "un_wgad": ConsentScope.UN,
    "un_sr_assembly": ConsentScope.UN,
    "osce_odihr": ConsentScope.OSCE,
    "osce_rfom": ConsentScope.OSCE,
    "eu": ConsentScope.EU,
}


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
    count_restricted = models.BooleanField(
        _("count restricted records"),
        default=False,
        help_text=_("Count records marked restricted in the figures. They are never named."),
    )

    class Meta:
        verbose_name = _("report definition")
        verbose_name_plural = _("report definitions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def consent_scope(self) -> str:
        return CONSENT_SCOPE_FOR[self.recipient]


class ReportSection(Stamped):
    """The wording of one section of a definition, editable in the admin so a lawyer can align it with the
    body's current form. `key` is what the compiler looks up; the generated tables and figures follow the
    text. A section that is not active is left out of the report."""

    definition = models.ForeignKey(
        ReportDefinition, verbose_name=_("definition"), on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True, help_text=_("Introductory wording shown before the data."))
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        ordering = ["definition_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["definition", "key"], name="unique_section_key")]

    def __str__(self):
        return self.title


class Report(Stamped):
    """One compiled version. Immutable once compiled; a recompile makes a new version."""

    definition = models.ForeignKey(
        ReportDefinition, verbose_name=_("definition"), on_delete=models.PROTECT, related_name="reports"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        help_text=_("The subject of an individual communication; empty for a periodic report."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="en")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    failure_reason = models.TextField(_("failure reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("compile attempts"), default=0, editable=False)
    task_id = models.CharField(_("task id"), max_length=64, blank=True, editable=False)
    figures = models.JSONField(_("figures snapshot"), default=dict, blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to="reports/%Y/", blank=True)
    annex_file = models.FileField(_("annex (XLSX/CSV)"), upload_to="reports/%Y/", blank=True)
    json_file = models.FileField(_("JSON"), upload_to="reports/%Y/", blank=True)
    docx_file = models.FileField(_("DOCX"), upload_to="reports/%Y/", blank=True)
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
    named_people = models.ManyToManyField(
        Person,
        verbose_name=_("named people"),
        blank=True,
        related_name="named_in_reports",
        editable=False,
        help_text=_("The people the compiled report names (each with a consent for the body's scope)."),
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_end", "-version"]
        permissions = [
            ("approve_report", _("Can approve a report for sending")),
            ("send_report", _("Can send a report or record its submission")),
            ("queue_communication", _("Can queue an individual communication")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "period_start", "period_end", "version"],
                condition=models.Q(person__isnull=True),
                name="unique_report_version",
            ),
            models.UniqueConstraint(
                fields=["definition", "person", "period_start", "period_end", "version"],
                condition=models.Q(person__isnull=False),
                name="unique_person_report_version",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_period"
            ),
        ]

    def __str__(self):
        return f"{self.definition} {self.period_start} – {self.period_end} v{self.version}"


class InterventionChannel(models.TextChoices):
    EMAIL = "email", _("E-mail from Kuzet")
    PORTAL = "portal", _("The body's own portal or post")


class BodyResponse(models.TextChoices):
    """HURIDOCS ESF micro-thesaurus 27 (the body's response), plus "awaiting" before any reply."""

    AWAITING = "awaiting", _("Awaiting reply")
    FAVOURABLE = "favourable", _("Favourable action")
    PLEDGED = "pledged", _("Pledged action")
    COUNTERED = "countered", _("Allegations countered")
    MORE_INFO = "more_info", _("Asked for more information")
    TOKEN = "token", _("Token response")
    NONE = "none", _("No response")


class Intervention(Stamped):
    """One report or communication sent to a body: when, how, its reference there, and its response.
    `people` are the people it names or is about, so their history shows what was sent about them."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="interventions"
    )
    recipient = models.CharField(_("recipient body"), max_length=20, choices=RecipientBody.choices)
    people = models.ManyToManyField(
        Person, verbose_name=_("people"), blank=True, related_name="interventions"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=InterventionChannel.choices)
    sent_on = models.DateField(_("sent on"))
    recipients = models.TextField(_("sent to"), blank=True, help_text=_("E-mail addresses, one per line."))
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    message = models.TextField(_("message"), blank=True)
    reference = models.CharField(_("body's reference number"), max_length=100, blank=True)
    response = models.CharField(
        _("response"), max_length=12, choices=BodyResponse.choices, default=BodyResponse.AWAITING
    )
    response_on = models.DateField(_("response received on"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"{self.get_recipient_display()} {self.sent_on}"
