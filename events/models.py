from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.dates import DatePrecision, display_partial, to_edtf
from core.history import case_history
from core.models import Record, Reference


class PlaceKind(models.TextChoices):
    REGION = "region", _("Region")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    SITE = "site", _("Site")


class Place(Reference):
    """Region → city → district → site. Seeded with Kazakhstan's regions and cities."""

    kind = models.CharField(_("kind"), max_length=10, choices=PlaceKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta(Reference.Meta):
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self):
        language = get_language() or "en"
        name = self.name_in(language)
        if self.kind == PlaceKind.REGION or self.parent_id is None:
            return name
        return f"{name} ({self.parent.name_in(language)})" if self.kind != PlaceKind.CITY else name


class CauseTag(Reference):
    """What an assembly was about: social, political, labour, land, housing …"""

    class Meta(Reference.Meta):
        verbose_name = _("cause")
        verbose_name_plural = _("causes")


class SourceKind(models.TextChoices):
    EYEWITNESS = "eyewitness", _("Eyewitness account")
    MEDIA = "media", _("Media report")
    NGO_REPORT = "ngo_report", _("NGO report")
    VIDEO = "video", _("Video")
    PHOTO = "photo", _("Photo")
    COURT_DOCUMENT = "court_document", _("Court document")
    SOCIAL_MEDIA = "social_media", _("Social media")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")


class Reliability(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    PROBABLE = "probable", _("Probably true")
    POSSIBLE = "possible", _("Possibly true")
    DOUBTFUL = "doubtful", _("Doubtful")
    UNKNOWN = "unknown", _("Cannot be judged")


class Source(Record):
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="sources/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False, db_index=True)
    reliability = models.CharField(
        _("reliability"), max_length=10, choices=Reliability.choices, default=Reliability.UNKNOWN
    )
    notes = models.TextField(_("notes"), blank=True)

    history = case_history()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]

    def __str__(self):
        return self.title


class AssemblyKind(models.TextChoices):
    RALLY = "rally", _("Rally")
    PICKET = "picket", _("Picket")
    SINGLE_PICKET = "single_picket", _("Single-person picket")
    # A context: the bare msgid "March" is the month in Django's own catalog, which ours would override.
    MARCH = "march", pgettext_lazy("assembly kind", "March")
    STRIKE = "strike", _("Strike")
    SIT_IN = "sit_in", _("Sit-in")
    GATHERING = "gathering", _("Gathering at an authority")
    ONLINE = "online", _("Online action")


class NotificationStatus(models.TextChoices):
    NOTIFIED = "notified", _("Notified, not objected")
    AUTHORISED = "authorised", _("Authorised")
    REFUSED = "refused", _("Notified, refused")
    NOT_NOTIFIED = "not_notified", _("Not notified")
    SPONTANEOUS = "spontaneous", _("Spontaneous")
    UNKNOWN = "unknown", _("Unknown")


class AssemblyOutcome(models.TextChoices):
    PEACEFUL = "peaceful", _("Ended peacefully")
    RESTRICTED = "restricted", _("Restricted (cordoned, moved)")
    DISPERSED = "dispersed", _("Dispersed")
    FORCE_USED = "force_used", _("Force used")
    PREVENTED = "prevented", _("Prevented")
    UNKNOWN = "unknown", _("Unknown")


class Assembly(Record):
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=15, choices=AssemblyKind.choices, default=AssemblyKind.RALLY
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    starts_at_precision = models.CharField(
        _("start precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.TIME
    )
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="assemblies"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    organisers = models.CharField(_("organisers"), max_length=300, blank=True)
    causes = models.ManyToManyField(
        CauseTag, verbose_name=_("demands / causes"), blank=True, related_name="assemblies"
    )
    participants_low = models.PositiveIntegerField(_("participants (low estimate)"), null=True, blank=True)
    participants_high = models.PositiveIntegerField(_("participants (high estimate)"), null=True, blank=True)
    notification = models.CharField(
        _("notification"),
        max_length=15,
        choices=NotificationStatus.choices,
        default=NotificationStatus.UNKNOWN,
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=AssemblyOutcome.choices, default=AssemblyOutcome.UNKNOWN
    )
    reported_detainees = models.PositiveIntegerField(
        _("reported detainees"),
        null=True,
        blank=True,
        help_text=_("Detainees reported by sources, named or not (e.g. 100 for 'more than 100')."),
    )
    reported_detainees_note = models.CharField(
        _("reported count as stated"), max_length=200, blank=True, help_text=_("e.g. 'more than 100'")
    )
    description = models.TextField(_("description"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="assemblies")

    history = case_history()

    class Meta:
        verbose_name = _("assembly")
        verbose_name_plural = _("assemblies")
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participants_high__isnull=True)
                | models.Q(participants_low__isnull=True)
                | models.Q(participants_high__gte=models.F("participants_low")),
                name="assembly_participants_range",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("starts_at")),
                name="assembly_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def starts_at_edtf(self) -> str | None:
        return to_edtf(self.starts_at, self.starts_at_precision)

    @property
    def starts_at_display(self) -> str:
        return display_partial(self.starts_at, self.starts_at_precision)


class IncidentKind(models.TextChoices):
    INTERNET_SHUTDOWN = "internet_shutdown", _("Internet / mobile shutdown")
    SOCIAL_NETWORK_BLOCK = "social_network_block", _("Social network or website blocked")
    EXPULSION_OF_MONITORS = "expulsion_of_monitors", _("Expulsion of monitors")
    OBSTRUCTION_OF_JOURNALISTS = "obstruction_of_journalists", _("Obstruction of journalists")
    CURFEW = "curfew", _("Curfew")
    CORDON = "cordon", _("Cordon / area closed")
    SURVEILLANCE = "surveillance", _("Surveillance")
    THREATS = "threats", _("Threats and pressure")
    ATTACK = "attack", _("Physical attack")
    OTHER = "other", _("Other")


class Incident(Record):
    kind = models.CharField(_("kind"), max_length=30, choices=IncidentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("starts on"), db_index=True)
    starts_on_precision = models.CharField(
        _("start precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    assembly = models.ForeignKey(
        Assembly,
        verbose_name=_("assembly"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    description = models.TextField(_("description"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="incidents")

    history = case_history()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="incident_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def starts_on_edtf(self) -> str | None:
        return to_edtf(self.starts_on, self.starts_on_precision)
