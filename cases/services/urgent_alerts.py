"""Mailing the urgent items (issue 5, item 7) to the Monitor and Lawyer groups, once per item.

What is urgent is decided by cases.urgent (the dashboard reads the same), what was sent is recorded in
core.models.AlertSent, and cases.tasks.send_urgent_alerts runs this every 15 minutes and retries it.
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import Detention, Sentence
from cases.urgent import UrgentItem, UrgentKind, urgent_items
from core.models import AlertSent
from core.roles import Role
from core.services import audit_record

logger = logging.getLogger(__name__)

RECIPIENT_ROLES = (Role.MONITOR, Role.LAWYER)


@dataclass(frozen=True)
class UrgentAlertRun:
    """What one run did: the items it mailed to someone for the first time, the emails that went out, and the
    items with an email that failed (their users are tried again by the next run)."""

    sent: list[str] = field(default_factory=list)
    emails: int = 0
    failed: list[str] = field(default_factory=list)


def urgent_alert_recipients():
    """Active users in the Monitor or Lawyer group who have an email address, in a stable order."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[str(role) for role in RECIPIENT_ROLES])
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _visible_uids(user, items: list[UrgentItem]) -> set[str]:
    """The record uids among `items` that `user` may see (two queries)."""
    detentions = {uuid.UUID(i.record_uid) for i in items if i.kind != UrgentKind.APPEAL}
    sentences = {uuid.UUID(i.record_uid) for i in items if i.kind == UrgentKind.APPEAL}
    visible = set()
    if detentions:
        visible |= set(
            Detention.objects.visible_to(user).filter(uid__in=detentions).values_list("uid", flat=True)
        )
    if sentences:
        visible |= set(
            Sentence.objects.visible_to(user).filter(uid__in=sentences).values_list("uid", flat=True)
        )
    return {str(uid) for uid in visible}


def _claim(item: UrgentItem, *, now: dt.datetime) -> AlertSent | None:
    """Record `item` as sent before sending it; None when another run already has. On PostgreSQL a
    concurrent run's insert of the same key waits for this transaction and then fails (or succeeds, if this
    one rolled back), so exactly one run mails each item."""
    try:
        with transaction.atomic():
            return AlertSent.objects.create(
                kind=item.kind, key=item.key, record_uid=item.record_uid, recipients=0, sent_at=now
            )
    except IntegrityError:
        return None


def _language(user) -> str:
    # Users have no stored language yet: every mail is in the site's language. Read a user's own here once
    # the project stores one.
    return settings.LANGUAGE_CODE


def urgent_alert_message(*, user, items: list[UrgentItem], connection=None) -> EmailMultiAlternatives:
    """The email telling `user` about `items`: subject, plain text and HTML, in the user's language, with
    absolute links (SITE_URL) to each person's page and to the record in the admin."""
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "count": len(items),
        "site_url": settings.SITE_URL.rstrip("/"),
        "whereabouts": [i for i in items if i.kind == UrgentKind.WHEREABOUTS],
        "held": [i for i in items if i.kind == UrgentKind.HELD],
        "appeals": [i for i in items if i.kind == UrgentKind.APPEAL],
        "whereabouts_hours": settings.URGENT_WHEREABOUTS_HOURS,
        "held_hours": settings.URGENT_HELD_HOURS,
    }
    language = context["language"] = _language(user)
    with translation.override(language):
        context["dashboard_url"] = context["site_url"] + reverse("cases:dashboard")
        subject = " ".join(render_to_string("cases/email/urgent_alert_subject.txt", context).split())
        text = render_to_string("cases/email/urgent_alert.txt", context)
        html = render_to_string("cases/email/urgent_alert.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email], connection=connection)
    message.attach_alternative(html, "text/html")
    return message


def _send(message: EmailMultiAlternatives) -> bool:
    try:
        return message.send() == 1
    except (SMTPException, OSError):
        logger.exception("Urgent alert to %s not sent; its items stay unsent and are tried again", message.to)
        return False


def _per_recipient(items: list[UrgentItem], targets: dict[str, set | None]) -> list[tuple]:
    """(recipient, their items) for each recipient with something to receive: the items they may see, and
    of an item being retried (`targets` a set of user ids) only if their earlier email failed."""
    per_user = []
    for user in urgent_alert_recipients():
        visible = _visible_uids(user, items)
        mine = [
            i
            for i in items
            if i.record_uid in visible and (targets[i.key] is None or user.pk in targets[i.key])
        ]
        if mine:
            per_user.append((user, mine))
    return per_user


@transaction.atomic
def urgent_alerts_send(*, now: dt.datetime | None = None) -> UrgentAlertRun:
    """Mail every urgent item not mailed before to each recipient (`urgent_alert_recipients`) who may see it:
    one email per recipient listing their new items. An item nobody may see is left for a later run.

    An item is recorded as sent (core.models.AlertSent, with how many emails carrying it went out) once an
    email carrying it went out. When every email carrying it failed, it stays unsent and the next run tries
    everyone again; when some failed, the next run mails it to those users alone (`retry_user_ids`), so a
    refused address never makes the others receive it twice. A second run sends nothing already sent; two
    concurrent runs never send one item twice (new items: `_claim`; items to retry: their rows are locked).
    Records one audit entry when it sent or failed. Never raises for a mail failure: the caller decides on
    retries from `failed`.
    """
    now = now or timezone.now()
    items = urgent_items(now=now)
    rows = {
        row.key: row
        for row in AlertSent.objects.select_for_update().filter(key__in=[i.key for i in items]).order_by("pk")
    }
    # None: everyone who may see the item; a set: only these users (their earlier email failed).
    targets = {i.key: None if i.key not in rows else set(rows[i.key].retry_user_ids) for i in items}
    todo = [i for i in items if targets[i.key] is None or targets[i.key]]
    if not todo:
        return UrgentAlertRun()

    per_user = _per_recipient(todo, targets)
    wanted = {i.key for _user, mine in per_user for i in mine}
    for item in todo:
        if item.key in wanted and item.key not in rows:
            row = _claim(item, now=now)
            if row is not None:
                rows[item.key] = row
    # A new item claimed by a concurrent run since this one read the rows is that run's to send.
    mine_to_send = {key for key in wanted if key in rows}

    emails, delivered, failed_users = 0, {}, {}
    for user, mine in per_user:
        mine = [i for i in mine if i.key in mine_to_send]
        if not mine:
            continue
        ok = _send(urgent_alert_message(user=user, items=mine, connection=get_connection()))
        emails += ok
        for item in mine:
            (delivered if ok else failed_users).setdefault(item.key, set()).add(user.pk)

    sent, failed = [], []
    for key in sorted(mine_to_send):
        row, got, missed = rows[key], delivered.get(key, set()), failed_users.get(key, set())
        if missed:
            failed.append(key)
        if targets[key] is None and not got:
            row.delete()  # nobody received it: still unsent, everyone is tried again
            continue
        if targets[key] is None:
            sent.append(key)
        row.recipients += len(got)
        row.retry_user_ids = sorted(missed)
        row.full_clean()
        row.save(update_fields=["recipients", "retry_user_ids"])
    if sent or failed or emails:
        audit_record(
            actor=None,
            action="kuzet.urgent_alert.sent",
            data={"sent": sent, "emails": emails, "failed": failed},
        )
    return UrgentAlertRun(sent=sent, emails=emails, failed=failed)
