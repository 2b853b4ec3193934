import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    AppealDecision,
    AppealFiledBy,
    AppealInstance,
    AppealOutcome,
    Authority,
    CaseKind,
    CaseStatus,
    ChargeStatus,
    CustodyKind,
    DetentionOutcome,
    DetentionType,
    HearingKind,
    Law,
    LawyerAccess,
    ProceduralStatus,
    SentenceKind,
    SentenceStatus,
    Verification,
    Whereabouts,
)
from core.dates import DateCertainty, DatePrecision, display_partial, to_edtf
from core.fields import EncryptedTextField
from core.history import case_history
from core.models import ChildRecord, Record, Reference
from events.models import Assembly, Place, Source
from people.models import Person


class LegalArticle(Reference):
    """An article of the Criminal or Administrative Offences Code; `name_*` hold its title."""

    law = models.CharField(_("code"), max_length=3, choices=Law.choices)
    number = models.CharField(_("article"), max_length=10)
    part = models.CharField(_("part"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("legal article")
        verbose_name_plural = _("legal articles")
        ordering = ["law", "number", "part"]

    def __str__(self):
        part = f"({self.part})" if self.part else ""
        return f"{self.law} {self.number}{part} — {self.name_en}"

    @property
    def citation(self) -> str:
        part = f" part {self.part}" if self.part else ""
        return f"{self.law} art. {self.number}{part}"


class Treatment(Reference):
    """A tag for how a detainee was treated: force at arrest, beaten, phone seized, no lawyer …"""

    class Meta(Reference.Meta):
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")


class CustodyCredit(models.Model):
    """How many days of a sentence one day in custody counts for, per sentence kind (editable reference data).

    Kazakhstan's Criminal Code art. 62 credits pre-trial custody at different rates: one day of custody is one
    day of imprisonment but two days of restriction of liberty.
    """

    sentence_kind = models.CharField(
        _("sentence kind"), max_length=30, choices=SentenceKind.choices, unique=True
    )
    days_per_custody_day = models.DecimalField(
        _("sentence days per day in custody"), max_digits=4, decimal_places=2
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("custody credit rate")
        verbose_name_plural = _("custody credit rates")
        ordering = ["sentence_kind"]

    def __str__(self):
        return f"{self.get_sentence_kind_display()}: ×{self.days_per_custody_day}"


class AppealTerm(models.Model):
    """Days from the decision within which an appeal must be filed, per case kind (editable reference).

    Pages warn before the deadline passes."""

    case_kind = models.CharField(_("case kind"), max_length=15, choices=CaseKind.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("days to appeal"))
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("appeal term")
        verbose_name_plural = _("appeal terms")
        ordering = ["case_kind"]

    def __str__(self):
        return f"{self.get_case_kind_display()}: {self.days} days"


class Detention(Record):
    # A detention at a restricted assembly would reveal the assembly: it is hidden with it.
    visibility_parents = ("person", "assembly")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="detentions"
    )
    assembly = models.ForeignKey(
        Assembly,
        verbose_name=_("assembly"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="detentions",
        help_text=_("Empty when taken at home, on the way, or elsewhere."),
    )
    detained_at = models.DateTimeField(_("detained at"), db_index=True)
    detained_at_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.TIME
    )
    detained_at_certainty = models.CharField(
        _("date certainty"), max_length=12, choices=DateCertainty.choices, default=DateCertainty.EXACT
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="detentions",
    )
    location = models.CharField(_("where exactly"), max_length=300, blank=True)
    authority = models.CharField(
        _("detaining authority"), max_length=20, choices=Authority.choices, default=Authority.POLICE
    )
    held_at = models.CharField(
        _("held at"), max_length=300, blank=True, help_text=_("e.g. Almaly district police")
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    procedural_status = models.CharField(
        _("procedural status"),
        max_length=20,
        choices=ProceduralStatus.choices,
        default=ProceduralStatus.UNKNOWN,
    )
    detention_type = models.CharField(
        _("type of detention"), max_length=15, choices=DetentionType.choices, default=DetentionType.UNKNOWN
    )
    whereabouts = models.CharField(
        _("whereabouts and contact"), max_length=15, choices=Whereabouts.choices, default=Whereabouts.UNKNOWN
    )
    treatment = models.ManyToManyField(
        Treatment, verbose_name=_("treatment"), blank=True, related_name="detentions"
    )
    lawyer_access = models.CharField(
        _("lawyer access"), max_length=20, choices=LawyerAccess.choices, default=LawyerAccess.UNKNOWN
    )
    outcome = models.CharField(
        _("outcome"), max_length=15, choices=DetentionOutcome.choices, default=DetentionOutcome.UNKNOWN
    )
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    notes = models.TextField(_("notes"), blank=True)
    private_notes = EncryptedTextField(
        _("private notes"),
        blank=True,
        default="",
        help_text=_("Encrypted at rest; never leaves the system (not in the API, exports or reports)."),
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="detentions")

    history = case_history()

    class Meta:
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        ordering = ["-detained_at", "id"]
        indexes = [models.Index(fields=["person", "detained_at"], name="detention_person_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True)
                | models.Q(released_at__gte=models.F("detained_at")),
                name="detention_released_after_detained",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.detained_at_display}"

    @property
    def detained_at_edtf(self) -> str | None:
        return to_edtf(self.detained_at, self.detained_at_precision, self.detained_at_certainty)

    @property
    def detained_at_display(self) -> str:
        local = timezone.localtime(self.detained_at) if self.detained_at else None
        return display_partial(local, self.detained_at_precision, self.detained_at_certainty)


class CustodyPeriod(ChildRecord):
    """One stay in one facility; a transfer is a new period. Time in custody is computed from these."""

    parent_field = "detention"

    detention = models.ForeignKey(
        Detention, verbose_name=_("detention"), on_delete=models.PROTECT, related_name="custody_periods"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CustodyKind.choices)
    facility = models.CharField(_("facility"), max_length=300, blank=True)
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.PROTECT, null=True, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty while still held."))

    history = case_history()

    class Meta:
        verbose_name = _("custody period")
        verbose_name_plural = _("custody periods")
        ordering = ["detention_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="custody_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_on} – {self.ended_on or '…'}"


class LegalCase(Record):
    visibility_parents = ("person",)

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="legal_cases"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=CaseKind.choices)
    number = models.CharField(_("case number"), max_length=100, blank=True)
    court = models.CharField(_("court"), max_length=300, blank=True)
    judge = models.CharField(_("judge"), max_length=200, blank=True)
    prosecutor = models.CharField(_("prosecutor"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=CaseStatus.choices, default=CaseStatus.INVESTIGATION
    )
    detentions = models.ManyToManyField(
        Detention,
        verbose_name=_("detentions it grew from"),
        blank=True,
        related_name="legal_cases",
        help_text=_("Custody in these detentions is credited against the sentence."),
    )
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="legal_cases"
    )

    history = case_history()

    class Meta:
        verbose_name = _("legal case")
        verbose_name_plural = _("legal cases")
        ordering = ["-opened_on", "id"]

    def __str__(self):
        number = f" № {self.number}" if self.number else ""
        return f"{self.get_kind_display()} case{number} — {self.person}"


class Charge(ChildRecord):
    parent_field = "legal_case"

    legal_case = models.ForeignKey(
        LegalCase, verbose_name=_("legal case"), on_delete=models.PROTECT, related_name="charges"
    )
    article = models.ForeignKey(
        LegalArticle, verbose_name=_("article"), on_delete=models.PROTECT, related_name="charges"
    )
    charged_on = models.DateField(_("charged on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ChargeStatus.choices, default=ChargeStatus.PENDING
    )

    history = case_history()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["legal_case_id", "charged_on", "id"]

    def __str__(self):
        return self.article.citation


class Sentence(ChildRecord):
    """A court decision's penalty. `ends_on`, the custody credit and the appeal deadline are computed by
    `cases.services.sentence_recompute`; a lawyer may override the end date (`ends_on_override`)."""

    parent_field = "legal_case"

    legal_case = models.ForeignKey(
        LegalCase, verbose_name=_("legal case"), on_delete=models.PROTECT, related_name="sentences"
    )
    court = models.CharField(_("court"), max_length=300, blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_on_precision = models.CharField(
        _("decision date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    kind = models.CharField(_("kind"), max_length=30, choices=SentenceKind.choices)
    term_years = models.PositiveSmallIntegerField(_("years"), default=0)
    term_months = models.PositiveSmallIntegerField(_("months"), default=0)
    term_days = models.PositiveIntegerField(_("days"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="KZT")
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    custody_credit_days = models.PositiveIntegerField(_("custody credit (days)"), default=0, editable=False)
    ends_on = models.DateField(_("computed end"), null=True, blank=True, editable=False, db_index=True)
    ends_on_override = models.DateField(
        _("end date set by a lawyer"),
        null=True,
        blank=True,
        help_text=_("Only when the court or prison gives a different date than the computed one."),
    )
    appeal_deadline = models.DateField(_("appeal deadline"), null=True, blank=True, editable=False)
    appeal_outcome = models.CharField(
        _("appeal outcome"), max_length=10, choices=AppealOutcome.choices, default=AppealOutcome.NONE
    )
    status = models.CharField(
        _("status"), max_length=15, choices=SentenceStatus.choices, default=SentenceStatus.PENDING
    )

    history = case_history()

    class Meta:
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")
        ordering = ["legal_case_id", "decided_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.term_display}".strip()

    @property
    def has_term(self) -> bool:
        return bool(self.term_years or self.term_months or self.term_days)

    @property
    def term_display(self) -> str:
        parts = [
            (self.term_years, _("y")),
            (self.term_months, _("m")),
            (self.term_days, _("d")),
        ]
        text = " ".join(f"{n}{unit}" for n, unit in parts if n)
        if self.amount is not None:
            text = f"{text} {self.amount:,.0f} {self.currency}".strip()
        return text

    @property
    def expected_end(self) -> dt.date | None:
        """What pages show: the lawyer's override when there is one, else the computed date."""
        return self.ends_on_override or self.ends_on

    @property
    def end_is_overridden(self) -> bool:
        return self.ends_on_override is not None


class Hearing(ChildRecord):
    """One sitting of the court in a case. Trial monitors note who judged, what happened and where they
    read it; the date is partial like a detention's (a report may say only "in March")."""

    parent_field = "legal_case"

    legal_case = models.ForeignKey(
        LegalCase, verbose_name=_("legal case"), on_delete=models.PROTECT, related_name="hearings"
    )
    held_at = models.DateTimeField(_("held on"), db_index=True)
    held_at_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    held_at_certainty = models.CharField(
        _("date certainty"), max_length=12, choices=DateCertainty.choices, default=DateCertainty.EXACT
    )
    kind = models.CharField(_("kind"), max_length=15, choices=HearingKind.choices, default=HearingKind.TRIAL)
    court = models.CharField(_("court"), max_length=300, blank=True)
    judge = models.CharField(_("judge"), max_length=200, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=300, blank=True, help_text=_("e.g. adjourned to 15 March; custody extended")
    )
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="hearings")

    history = case_history()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["legal_case_id", "held_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_at_display}"

    @property
    def held_at_edtf(self) -> str | None:
        return to_edtf(self.held_at, self.held_at_precision, self.held_at_certainty)

    @property
    def held_at_display(self) -> str:
        return display_partial(self.held_at, self.held_at_precision, self.held_at_certainty)


class Appeal(ChildRecord):
    """An appeal against a case's sentence (or against the case as a whole when `sentence` is empty), from
    filing to decision. The sentence's own `appeal_outcome` stays what a lawyer sets: several appeals (appeal,
    then cassation) may stand behind it."""

    parent_field = "legal_case"

    legal_case = models.ForeignKey(
        LegalCase, verbose_name=_("legal case"), on_delete=models.PROTECT, related_name="appeals"
    )
    sentence = models.ForeignKey(
        Sentence,
        verbose_name=_("sentence appealed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        help_text=_("Empty when the appeal is against the case as a whole."),
    )
    instance = models.CharField(
        _("instance"), max_length=10, choices=AppealInstance.choices, default=AppealInstance.APPEAL
    )
    court = models.CharField(_("court"), max_length=300, blank=True)
    filed_by = models.CharField(
        _("filed by"), max_length=12, choices=AppealFiledBy.choices, default=AppealFiledBy.DEFENCE
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filed_on_precision = models.CharField(
        _("filing date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_on_precision = models.CharField(
        _("decision date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AppealDecision.choices, default=AppealDecision.PENDING
    )
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="appeals")

    history = case_history()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["legal_case_id", models.F("filed_on").asc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(filed_on__isnull=True)
                | models.Q(decided_on__isnull=True)
                | models.Q(decided_on__gte=models.F("filed_on")),
                name="appeal_decided_after_filed",
                violation_error_message=_("An appeal cannot be decided before it was filed."),
            )
        ]

    def __str__(self):
        return f"{self.get_instance_display()}: {self.get_outcome_display()}"

    def clean(self):
        super().clean()
        if self.sentence_id and self.legal_case_id and self.sentence.legal_case_id != self.legal_case_id:
            raise ValidationError({"sentence": _("Choose a sentence of this legal case.")})
        if self.decided_on and self.outcome == AppealDecision.PENDING:
            raise ValidationError({"outcome": _("A decided appeal needs its outcome.")})

    @property
    def filed_on_display(self) -> str:
        return display_partial(self.filed_on, self.filed_on_precision)

    @property
    def decided_on_display(self) -> str:
        return display_partial(self.decided_on, self.decided_on_precision)
