"""What every case record shares: identity for export (uid), who entered it, how confidential it is, and
soft deletion (nothing a monitor entered is ever hard-deleted from the browser or the API)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

from core import roles


class Confidentiality(models.TextChoices):
    """Ordered from least to most confidential; the order is what visibility compares."""

    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partners")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted")


PARTNER_LEVELS = (Confidentiality.PUBLIC, Confidentiality.PARTNERS)
STAFF_LEVELS = (Confidentiality.PUBLIC, Confidentiality.PARTNERS, Confidentiality.INTERNAL)


class RecordQuerySet(models.QuerySet):
    def live(self):
        return self.filter(is_deleted=False)

    def visible_to(self, user, *, include_deleted: bool = False):
        """The one visibility rule, used by the admin, pages, API and reports.

        - administrators: everything (they manage access), deleted rows only when asked for;
        - monitors, lawyers, analysts: up to `internal`, plus `restricted` rows they created or were granted;
        - partners: `public` and `partners` only;
        - anyone else: nothing.
        A record is also hidden when a record it belongs to (`visibility_parents`) is hidden: a detention
        of a restricted person is as restricted as the person.
        """
        qs = self if include_deleted and roles.is_administrator(user) else self.live()
        if roles.is_administrator(user):
            pass
        elif roles.is_case_staff(user):
            qs = qs.filter(
                Q(confidentiality__in=STAFF_LEVELS)
                | Q(created_by=user)
                | Q(pk__in=self.model.shared_with.through.objects.filter(user=user).values(self._shared_fk()))
            )
        elif roles.is_partner(user):
            qs = qs.filter(confidentiality__in=PARTNER_LEVELS)
        else:
            return qs.none()
        return qs._filter_parents(user, include_deleted=include_deleted)

    def _shared_fk(self) -> str:
        return f"{self.model._meta.model_name}_id"

    def _filter_parents(self, user, *, include_deleted: bool):
        for name in getattr(self.model, "visibility_parents", ()):
            field = self.model._meta.get_field(name)
            visible = field.related_model.objects.visible_to(user, include_deleted=include_deleted).values(
                "pk"
            )
            condition = Q(**{f"{name}__in": visible})
            if field.null:
                condition |= Q(**{f"{name}__isnull": True})
            self = self.filter(condition)
        return self


class ChildQuerySet(models.QuerySet):
    def live(self):
        return self.filter(is_deleted=False)

    def visible_to(self, user, *, include_deleted: bool = False):
        """A child row (a name, a charge, a custody period) is visible exactly when its parent record is."""
        parent_name = self.model.parent_field
        parent_model = self.model._meta.get_field(parent_name).related_model
        qs = self if include_deleted and roles.is_administrator(user) else self.live()
        return qs.filter(
            **{f"{parent_name}__in": parent_model.objects.visible_to(user, include_deleted=include_deleted)}
        )


class Stamped(models.Model):
    uid = models.UUIDField(_("UID"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    is_deleted = models.BooleanField(_("deleted"), default=False, db_index=True, editable=False)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # Optimistic locking: a save names the version it was read at, and is refused when another save came
    # first (see core.versioning). Bumped by every save through the services, the admin and the API.
    # (Not `version`: a Report's version numbers its recompiles.)
    lock_version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)

    class Meta:
        abstract = True


class Record(Stamped):
    """A case record: it has its own confidentiality and can be shared with named users when restricted."""

    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
        db_index=True,
        help_text=_(
            "Public and Partners leave the system (API, reports); Internal stays with staff; "
            "Restricted is seen only by its creator, the users it is shared with, and administrators."
        ),
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared with"),
        blank=True,
        related_name="+",
        help_text=_("Users who may see this record when it is restricted."),
    )

    visibility_parents: tuple[str, ...] = ()

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True


class ChildRecord(Stamped):
    """A row that belongs to one record (a name of a person, a charge of a case) and shares its visibility."""

    parent_field: str = ""

    objects = ChildQuerySet.as_manager()

    class Meta:
        abstract = True


class ReferenceQuerySet(models.QuerySet):
    def visible_to(self, user, *, include_deleted: bool = False):
        """Reference data (places, articles, tags) is readable by every signed-in role."""
        if roles.is_case_staff(user) or roles.is_partner(user):
            return self
        return self.none()


class Reference(models.Model):
    """Editable reference data, seeded by data migrations keyed on a stable `code`."""

    uid = models.UUIDField(_("UID"), default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name_en"]

    def __str__(self):
        # Pages and the admin show reference data in the reader's language (English where untranslated).
        return self.name_in(get_language() or "en")

    def name_in(self, language: str) -> str:
        return getattr(self, f"name_{language[:2]}", "") or self.name_en


class AuditEntry(models.Model):
    """Who did what to which record, when. Written by services; never edited.

    A first, coarse trail (one row per action); the security issue adds field-level history.
    """

    action = models.CharField(_("action"), max_length=80, db_index=True)  # e.g. kuzet.detention.created
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    object_type = models.CharField(_("object type"), max_length=60)
    object_uid = models.UUIDField(_("object UID"), null=True, db_index=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.action} {self.object_type} {self.object_uid}"


class ApiKeyScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiKey(AbstractAPIKey):
    """A key for the REST API. It acts as its user (a Partner account for a partner organisation, or a staff
    account), so the one visibility rule applies to it; only the hash of the key is stored
    (djangorestframework-api-key), the key itself is shown once when created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("acts as"), on_delete=models.PROTECT, related_name="api_keys"
    )
    scope = models.CharField(_("scope"), max_length=5, choices=ApiKeyScope.choices, default=ApiKeyScope.READ)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")


class ChangeLog(models.Model):
    """One entry of the delta feed (`/api/v1/changes/`): "the record `type`/`uid` may have changed".

    Written by `core.changes` in the transaction of the change itself; the feed reads each record's current
    state when it serves the entry, so an entry holds no data and several entries for one record are one.
    `seq` orders the feed: `core.changes` makes it follow commit order (see `changes_record_bulk`).
    """

    seq = models.BigAutoField(_("sequence"), primary_key=True)
    type = models.CharField(_("type"), max_length=40)  # the API's name for the record: "detention" …
    uid = models.UUIDField(_("UID"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log entries")
        ordering = ["seq"]
        indexes = [models.Index(fields=["type", "uid"], name="changelog_type_uid")]

    def __str__(self):
        return f"{self.seq} {self.type} {self.uid}"


class AlertSent(models.Model):
    """An alert mailed once (the urgent items of `cases.urgent`): `key` names the item and the fact that made
    it urgent, so the job never mails it again, and a new fact (a changed deadline) is a new key.

    The unique (kind, key) is what keeps two concurrent runs from mailing one item twice: each run inserts the
    row before it sends, and a second insert waits for the first transaction and then fails. A run whose every
    email carrying the item failed deletes its row, so the item stays unsent; when only some failed, the row
    keeps those users in `retry_user_ids` and later runs mail the item to them alone.
    """

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=200)
    record_uid = models.UUIDField(_("record UID"), db_index=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0, help_text=_("Emails that went out."))
    retry_user_ids = models.JSONField(
        _("to retry"), default=list, blank=True, help_text=_("Users whose email failed; tried again.")
    )
    sent_at = models.DateTimeField(_("sent at"), db_index=True)

    class Meta:
        verbose_name = _("alert sent")
        verbose_name_plural = _("alerts sent")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="alertsent_kind_key")]

    def __str__(self):
        return f"{self.kind} {self.key}"


class ReadKind(models.TextChoices):
    PERSON_PAGE = "person_page", _("Person's history page")
    PERSON_ADMIN = "person_admin", _("Person in the admin")
    PERSON_API = "person_api", _("Person over the API")
    DOSSIER_PDF = "dossier_pdf", _("Dossier PDF")
    REPORT_FILE = "report_file", _("Report file")
    EXPORT = "export", _("Export")


class AppendOnlyError(Exception):
    """A row of an append-only log was about to be changed or deleted."""


class ReadLogQuerySet(models.QuerySet):
    # A bulk update or delete would bypass the model's save() and delete(); refuse them here too.
    def update(self, **kwargs):
        raise AppendOnlyError(_("The read log is append-only: its entries are never changed."))

    def delete(self):
        raise AppendOnlyError(_("The read log is append-only: its entries are never deleted."))


class ReadLogEntry(models.Model):
    """Who read what about whom, and when: a person's page, the person in the admin or the API, a dossier, a
    report file, an export. Written by `core.services.read_log_record` on every such read.

    Append-only, because a log its readers could edit would not show who looked: the ORM refuses to update or
    delete a row, and on PostgreSQL a trigger (migration 0007) refuses it to plain SQL too. `username` keeps
    who it was in words even in a restored or exported copy of the table.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    api_key = models.ForeignKey(
        ApiKey,
        verbose_name=_("API key"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The key the read came with, for a read over the API."),
    )
    what = models.CharField(_("what"), max_length=20, choices=ReadKind.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_uid = models.UUIDField(_("object UID"), null=True, blank=True, db_index=True)
    person_uid = models.UUIDField(
        _("person UID"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The person the read was about, when there is one."),
    )
    data = models.JSONField(
        _("data"), default=dict, blank=True, help_text=_("For an export: the list, its filters and its rows.")
    )
    path = models.CharField(_("path"), max_length=500, blank=True)
    remote_addr = models.GenericIPAddressField(_("remote address"), null=True, blank=True)

    objects = ReadLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("read log entry")
        verbose_name_plural = _("read log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person_uid", "at"], name="readlog_person_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'} {self.what} {self.object_uid or ''}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(_("The read log is append-only: its entries are never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("The read log is append-only: its entries are never deleted."))
