"""What an import leaves behind: the batch (which file, whose, when, what it did) and each record it
created or changed with the values it replaced, so a whole import can be reverted."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Uploaded, not imported")
    IMPORTED = "imported", _("Imported")
    REVERTED = "reverted", _("Reverted")
    DISCARDED = "discarded", _("Discarded")


class ImportBatch(models.Model):
    """One spreadsheet of detentions. A pending batch keeps the uploaded bytes between the admin's steps
    (mapping, dry run, confirmation); they are dropped once the batch is imported or discarded, and only the
    SHA-256 stays to prove which file it was."""

    uid = models.UUIDField(_("UID"), default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    content = models.BinaryField(_("uploaded file"), blank=True, default=b"", editable=False)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING, db_index=True
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    reverted_at = models.DateTimeField(_("reverted at"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reverted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("detention import")
        verbose_name_plural = _("detention imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.file_name


class ChangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")


class ImportChange(models.Model):
    """One record an import created or updated; `previous` holds the values it replaced (field name →
    value as `Field.value_to_string` writes it, a foreign key as its primary key)."""

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("import"), on_delete=models.CASCADE, related_name="changes"
    )
    row = models.PositiveIntegerField(_("spreadsheet row"))
    row_key = models.CharField(_("row key"), max_length=64, blank=True, db_index=True)
    model = models.CharField(_("record type"), max_length=60)  # "cases.detention"
    object_id = models.BigIntegerField(_("object id"))
    object_uid = models.UUIDField(_("object UID"), null=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    previous = models.JSONField(_("previous values"), default=dict, blank=True)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        ordering = ["batch_id", "id"]

    def __str__(self):
        return f"{self.action} {self.model} {self.object_uid}"
