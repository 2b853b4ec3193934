from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import DateCertainty, DatePrecision, display_partial, to_edtf
from core.fields import EncryptedTextField
from core.history import case_history
from core.models import ChildRecord, Record, Reference


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class GroupTag(Reference):
    """Who a person is, as the reports count them: journalist, pensioner, mother of many children …"""

    class Meta(Reference.Meta):
        verbose_name = _("group tag")
        verbose_name_plural = _("group tags")


class Person(Record):
    full_name = models.CharField(
        _("full name"), max_length=300, help_text=_("As entered; every spelling is a name.")
    )
    search_key = models.TextField(
        _("search key"),
        blank=True,
        default="",
        editable=False,
        # Searched by substring, never by equality: PostgreSQL gets a trigram index (migration 0003);
        # a B-tree would not help and would refuse a person with very many aliases (2.7 kB row limit).
        help_text=_("Skeleton keys of every known name; kept current by people.services."),
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("birth date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.YEAR
    )
    birth_date_certainty = models.CharField(
        _("birth date certainty"), max_length=12, choices=DateCertainty.choices, default=DateCertainty.EXACT
    )
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN)
    home_place = models.ForeignKey(
        "events.Place",
        verbose_name=_("home place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    groups = models.ManyToManyField(GroupTag, verbose_name=_("groups"), blank=True, related_name="people")
    contact_details = EncryptedTextField(
        _("contact details"), blank=True, default="", help_text=_("Encrypted at rest.")
    )
    home_address = EncryptedTextField(
        _("home address"), blank=True, default="", help_text=_("Encrypted at rest.")
    )
    notes = models.TextField(_("notes"), blank=True)
    private_notes = EncryptedTextField(
        _("private notes"),
        blank=True,
        default="",
        help_text=_("Encrypted at rest; never leaves the system (not in the API, exports or reports)."),
    )

    # The search key is derived from the names, which have their own history.
    history = case_history(excluded_fields=["search_key"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "id"]

    def __str__(self):
        return self.full_name

    @property
    def birth_date_edtf(self) -> str | None:
        return to_edtf(self.birth_date, self.birth_date_precision, self.birth_date_certainty)

    @property
    def birth_date_display(self) -> str:
        return display_partial(self.birth_date, self.birth_date_precision, self.birth_date_certainty)


class NameScript(models.TextChoices):
    CYRILLIC = "cyrl", _("Cyrillic")
    LATIN = "latn", _("Latin")


class NameKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    ALIAS = "alias", _("Alias")
    TRANSLIT = "translit", _("Transliteration")


class PersonName(ChildRecord):
    """Every spelling a person is known by; each feeds the person's search key."""

    parent_field = "person"

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="names"
    )
    text = models.CharField(_("name"), max_length=300)
    script = models.CharField(_("script"), max_length=4, choices=NameScript.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=NameKind.choices, default=NameKind.ALIAS)
    key = models.CharField(_("skeleton key"), max_length=300, editable=False, db_index=True, default="")

    history = case_history()

    class Meta:
        verbose_name = _("name")
        verbose_name_plural = _("names")
        ordering = ["person_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "text"],
                condition=models.Q(is_deleted=False),
                name="unique_live_name_per_person",
            )
        ]

    def __str__(self):
        return self.text


class ConsentScope(models.TextChoices):
    PARTNERS = "partners", _("Partner organisations")
    UN = "un", _("UN bodies")
    OSCE = "osce", _("OSCE bodies")
    EU = "eu", _("EU bodies")
    PUBLIC = "public", _("Publication")


class ConsentRecord(ChildRecord):
    """A person's consent for their identity to leave the system for one scope; withdrawing ends it."""

    parent_field = "person"

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="consents"
    )
    scope = models.CharField(_("scope"), max_length=10, choices=ConsentScope.choices)
    given_on = models.DateField(_("given on"))
    how_recorded = models.CharField(
        _("how recorded"), max_length=200, help_text=_("e.g. signed form, recorded call, message from lawyer")
    )
    full_name_allowed = models.BooleanField(
        _("full name allowed"), default=True, help_text=_("If off, only initials may be used.")
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    history = case_history()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["person_id", "-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]

    def __str__(self):
        return f"{self.get_scope_display()} ({self.given_on})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None and not self.is_deleted
