"""The urgent items (cases.urgent), the alert mail (cases.services.urgent_alerts_send), its task
(cases.tasks.send_urgent_alerts) and its schedule (core.schedules, cases.apps): what is urgent and what is
not, who receives which item, once per item, retried when a mail fails, and agreeing with the dashboard."""

import datetime as dt
import json
import re
import threading
from smtplib import SMTPRecipientsRefused

import pytest
import time_machine
from celery.exceptions import Retry
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, transaction
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from cases.apps import URGENT_ALERTS_SCHEDULE
from cases.choices import AppealOutcome, DetentionOutcome, SentenceStatus, Whereabouts
from cases.services import urgent_alerts_send
from cases.services.urgent_alerts import _claim
from cases.tasks import UrgentAlertsIncomplete, send_urgent_alerts
from cases.urgent import UrgentKind, stale_detentions, urgent_items, urgent_panel
from core.models import AlertSent, AuditEntry, Confidentiality
from core.roles import Role
from core.schedules import ensure_periodic_task
from tests.cases.factories import (
    AppealFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.people.factories import PersonFactory

NOW = dt.datetime(2022, 1, 20, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2022, 1, 20)  # also the local date (Asia/Almaty, UTC+6 in 2022)


def _ago(**delta) -> dt.datetime:
    return NOW - dt.timedelta(**delta)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def recipients(monitor, lawyer, other_monitor):
    """The monitors and the lawyer with an email address (the personas have none)."""
    for user in (monitor, lawyer, other_monitor):
        user.email = f"{user.username}@kuzet.test"
        user.save(update_fields=["email"])
    return monitor, lawyer, other_monitor


def _held(name: str, *, detained_at: dt.datetime, **fields):
    fields.setdefault("outcome", DetentionOutcome.STILL_HELD)
    return DetentionFactory(person=PersonFactory(full_name=name), detained_at=detained_at, **fields)


def _appeal(name: str, *, deadline: dt.date, **fields):
    return SentenceFactory(
        legal_case=LegalCaseFactory(person=PersonFactory(full_name=name)), appeal_deadline=deadline, **fields
    )


def _items(**kwargs) -> set[tuple[str, str]]:
    return {(item.kind, item.person_name) for item in urgent_items(now=NOW, **kwargs)}


def _mails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


# --- What is urgent -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_whereabouts_unknown_past_the_limit_is_urgent_and_not_before():
    _held("Testova Past", detained_at=_ago(hours=25), whereabouts=Whereabouts.UNKNOWN)
    _held("Testova Denied", detained_at=_ago(hours=25), whereabouts=Whereabouts.DENIED)
    _held("Testova Recent", detained_at=_ago(hours=23), whereabouts=Whereabouts.UNKNOWN)
    _held("Testova Located", detained_at=_ago(hours=25), whereabouts=Whereabouts.DISCLOSED)
    _held(
        "Testova Released",
        detained_at=_ago(hours=30),
        released_at=_ago(hours=26),
        outcome=DetentionOutcome.RELEASED,
    )

    found = {name for kind, name in _items() if kind == UrgentKind.WHEREABOUTS}

    assert found == {"Testova Past", "Testova Denied"}


@pytest.mark.django_db
def test_held_past_the_limit_without_a_court_decision_is_urgent_and_not_before(settings):
    settings.URGENT_WHEREABOUTS_HOURS = 24 * 30  # only the `held` kind here
    _held("Testov Waiting", detained_at=_ago(hours=49))
    _held("Testov Recent", detained_at=_ago(hours=47))
    decided = _held("Testov Decided", detained_at=_ago(hours=60))
    case = LegalCaseFactory(person=decided.person)
    case.detentions.add(decided)
    SentenceFactory(legal_case=case, status=SentenceStatus.SERVING)
    # An open custody period says "held" even with an outcome recorded.
    in_custody = _held("Testov Custody", detained_at=_ago(hours=72), outcome=DetentionOutcome.FINED)
    CustodyPeriodFactory(detention=in_custody, started_on=TODAY - dt.timedelta(days=3), ended_on=None)

    assert _items() == {(UrgentKind.HELD, "Testov Waiting"), (UrgentKind.HELD, "Testov Custody")}


@pytest.mark.django_db
def test_detentions_older_than_the_look_back_are_left_out_and_counted(monitor, settings):
    _held("Testova Within", detained_at=_ago(days=13), whereabouts=Whereabouts.UNKNOWN)
    stale = _held("Testova Stale", detained_at=_ago(days=15), whereabouts=Whereabouts.UNKNOWN)

    assert {name for _kind, name in _items()} == {"Testova Within"}
    assert list(stale_detentions(now=NOW)) == [stale]
    assert urgent_panel(user=monitor, now=NOW).hidden == 1

    settings.URGENT_LOOKBACK_DAYS = 16
    assert {name for _kind, name in _items()} == {"Testova Within", "Testova Stale"}
    assert urgent_panel(user=monitor, now=NOW).hidden == 0


@pytest.mark.django_db
def test_appeal_deadlines_within_five_days_are_urgent_six_days_are_not():
    _appeal("Testov Today", deadline=TODAY)
    _appeal("Testov Five", deadline=TODAY + dt.timedelta(days=5))
    _appeal("Testov Six", deadline=TODAY + dt.timedelta(days=6))
    _appeal("Testov Passed", deadline=TODAY - dt.timedelta(days=1))
    _appeal("Testov Appealed", deadline=TODAY + dt.timedelta(days=2), appeal_outcome=AppealOutcome.PENDING)
    _appeal("Testov Quashed", deadline=TODAY + dt.timedelta(days=2), status=SentenceStatus.QUASHED)

    assert _items() == {(UrgentKind.APPEAL, "Testov Today"), (UrgentKind.APPEAL, "Testov Five")}


@pytest.mark.django_db
def test_an_appeal_recorded_against_the_sentence_or_its_case_ends_the_alert():
    against_sentence = _appeal("Testov Sentence", deadline=TODAY + dt.timedelta(days=2))
    AppealFactory(legal_case=against_sentence.legal_case, sentence=against_sentence)
    against_case = _appeal("Testov Case", deadline=TODAY + dt.timedelta(days=2))
    AppealFactory(legal_case=against_case.legal_case, sentence=None)
    withdrawn_record = _appeal("Testov Deleted appeal", deadline=TODAY + dt.timedelta(days=2))
    AppealFactory(legal_case=withdrawn_record.legal_case, sentence=withdrawn_record, is_deleted=True)
    other_sentence = _appeal("Testov Other sentence", deadline=TODAY + dt.timedelta(days=2))
    AppealFactory(
        legal_case=other_sentence.legal_case,
        sentence=SentenceFactory(legal_case=other_sentence.legal_case),
    )

    assert _items() == {
        (UrgentKind.APPEAL, "Testov Deleted appeal"),
        (UrgentKind.APPEAL, "Testov Other sentence"),
    }


@pytest.mark.django_db
def test_a_deleted_record_is_not_urgent():
    detention = _held("Testova Deleted", detained_at=_ago(hours=60))
    detention.is_deleted = True
    detention.save(update_fields=["is_deleted"])
    sentence = _appeal("Testov Deleted case", deadline=TODAY + dt.timedelta(days=1))
    sentence.legal_case.is_deleted = True
    sentence.legal_case.save(update_fields=["is_deleted"])

    assert _items() == set()


# --- The mail -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_recipient_gets_one_email_with_only_what_they_may_see(recipients, analyst, django_user_model):
    other_monitor = recipients[2]
    analyst.email = "analyst@kuzet.test"  # not a recipient: Monitor and Lawyer groups only
    analyst.save(update_fields=["email"])
    lawyers = Group.objects.get(name=Role.LAWYER)
    retired = django_user_model.objects.create_user("retired", "retired@kuzet.test", is_active=False)
    no_email = django_user_model.objects.create_user("no_email", "")
    lawyers.user_set.add(retired, no_email)
    _held("Testova Shared", detained_at=_ago(hours=60), whereabouts=Whereabouts.UNKNOWN)
    _held(
        "Testova Restricted",
        detained_at=_ago(hours=60),
        whereabouts=Whereabouts.DISCLOSED,
        confidentiality=Confidentiality.RESTRICTED,
        created_by=other_monitor,
    )
    _appeal("Testov Appeal", deadline=TODAY + dt.timedelta(days=2))

    run = urgent_alerts_send()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "lawyer@kuzet.test",
        "monitor@kuzet.test",
        "other_monitor@kuzet.test",
    ]
    assert run.emails == 3
    for address in ("monitor@kuzet.test", "lawyer@kuzet.test"):
        (message,) = _mails_to(address)
        assert "Testova Shared" in message.body and "Testov Appeal" in message.body
        assert "Testova Restricted" not in message.body
        assert "Testova Restricted" not in message.alternatives[0].content
        assert message.subject == "Kuzet: 3 new urgent items"  # Shared twice (both kinds), Appeal
    (message,) = _mails_to("other_monitor@kuzet.test")
    assert "Testova Restricted" in message.body
    assert message.subject == "Kuzet: 4 new urgent items"
    sent = {row.key: row.recipients for row in AlertSent.objects.all()}
    assert len(sent) == 4
    assert sorted(sent.values()) == [1, 3, 3, 3]  # the restricted detention went to its creator only


@pytest.mark.django_db
def test_an_item_is_mailed_once_across_runs(recipients):
    _held("Testova Once", detained_at=_ago(hours=60), whereabouts=Whereabouts.DISCLOSED)

    first = urgent_alerts_send()
    outbox = len(mail.outbox)
    second = urgent_alerts_send()

    assert (len(first.sent), first.emails, outbox) == (1, 3, 3)
    assert (second.sent, second.emails, second.failed) == ([], 0, [])
    assert len(mail.outbox) == 3
    audit = AuditEntry.objects.get(action="kuzet.urgent_alert.sent")
    assert audit.data == {"sent": first.sent, "emails": 3, "failed": []}


@pytest.mark.django_db
def test_an_item_nobody_may_see_waits_for_a_recipient(recipients, administrator):
    _held(
        "Testova Admin only",
        detained_at=_ago(hours=60),
        whereabouts=Whereabouts.DISCLOSED,
        confidentiality=Confidentiality.RESTRICTED,
        created_by=administrator,
    )

    run = urgent_alerts_send()

    assert (run.sent, run.emails, mail.outbox) == ([], 0, [])
    assert not AlertSent.objects.exists()
    assert not AuditEntry.objects.filter(action="kuzet.urgent_alert.sent").exists()


@pytest.mark.django_db
def test_a_changed_appeal_deadline_alerts_again(recipients):
    sentence = _appeal("Testov Moved", deadline=TODAY + dt.timedelta(days=4))
    urgent_alerts_send()
    mail.outbox.clear()

    type(sentence).objects.filter(pk=sentence.pk).update(appeal_deadline=TODAY + dt.timedelta(days=2))
    run = urgent_alerts_send()

    assert run.sent == [f"appeal:{sentence.uid}:{TODAY + dt.timedelta(days=2)}"]
    assert len(mail.outbox) == 3
    assert (TODAY + dt.timedelta(days=2)).isoformat() in mail.outbox[0].body
    assert AlertSent.objects.filter(record_uid=sentence.uid).count() == 2


class RefusingBackend(EmailBackend):
    """The locmem backend, except that the mail server refuses the addresses in `refused`."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refused:
                raise SMTPRecipientsRefused(dict.fromkeys(message.to, (550, b"refused")))
        return super().send_messages(messages)


@pytest.fixture
def refusing_backend(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.refused = {"monitor@kuzet.test"}
    yield RefusingBackend
    RefusingBackend.refused = set()


@pytest.mark.django_db
def test_an_item_whose_only_email_failed_is_not_marked_sent(recipients, refusing_backend):
    monitor = recipients[0]
    own = _held(
        "Testova Own",
        detained_at=_ago(hours=60),
        whereabouts=Whereabouts.DISCLOSED,
        confidentiality=Confidentiality.RESTRICTED,
        created_by=monitor,
    )
    key = f"held:{own.uid}:{own.detained_at.isoformat()}"

    failed = urgent_alerts_send()

    assert (failed.sent, failed.emails, failed.failed) == ([], 0, [key])
    assert not AlertSent.objects.exists()
    assert AuditEntry.objects.get(action="kuzet.urgent_alert.sent").data == {
        "sent": [],
        "emails": 0,
        "failed": [key],
    }

    refusing_backend.refused = set()
    retried = urgent_alerts_send()

    assert retried.sent == [key]
    assert [m.to for m in mail.outbox] == [["monitor@kuzet.test"]]
    assert AlertSent.objects.get().recipients == 1


@pytest.mark.django_db
def test_a_failed_email_is_retried_for_its_recipient_alone(recipients, refusing_backend):
    monitor = recipients[0]
    everyone = _held("Testova Everyone", detained_at=_ago(hours=60), whereabouts=Whereabouts.DISCLOSED)
    key = f"held:{everyone.uid}:{everyone.detained_at.isoformat()}"

    failed = urgent_alerts_send()

    # The monitor's mail was refused; the lawyer and the other monitor got theirs.
    assert (failed.sent, failed.emails, failed.failed) == ([key], 2, [key])
    row = AlertSent.objects.get()
    assert (row.recipients, row.retry_user_ids) == (2, [monitor.pk])

    refusing_backend.refused = set()
    mail.outbox.clear()
    retried = urgent_alerts_send()

    assert (retried.sent, retried.emails, retried.failed) == ([], 1, [])
    assert [m.to for m in mail.outbox] == [["monitor@kuzet.test"]]
    assert "Testova Everyone" in mail.outbox[0].body
    row.refresh_from_db()
    assert (row.recipients, row.retry_user_ids) == (3, [])
    assert urgent_alerts_send().emails == 0


@pytest.mark.django_db
def test_the_task_asks_for_a_retry_while_a_mail_fails(recipients, refusing_backend):
    monitor = recipients[0]
    _held("Testova Retry", detained_at=_ago(hours=60), whereabouts=Whereabouts.DISCLOSED)

    # Run in this process, the task's retry surfaces as Celery's Retry (a worker would run it again later).
    with pytest.raises(Retry) as retry:
        send_urgent_alerts.apply()

    assert isinstance(retry.value.exc, UrgentAlertsIncomplete)
    assert str(retry.value.exc) == "1 urgent items not mailed; retrying"
    assert len(_mails_to("lawyer@kuzet.test")) == 1
    assert _mails_to("monitor@kuzet.test") == []
    assert AlertSent.objects.get().retry_user_ids == [monitor.pk]

    refusing_backend.refused = set()
    assert send_urgent_alerts.apply().get() == {"sent": 0, "emails": 1}
    assert len(_mails_to("monitor@kuzet.test")) == 1
    assert len(_mails_to("lawyer@kuzet.test")) == 1


@pytest.mark.django_db
def test_the_email_links_each_record_absolutely(recipients, settings):
    settings.SITE_URL = "https://kuzet.example.org/"
    detention = _held(
        "Testova Linked",
        detained_at=_ago(hours=60),
        whereabouts=Whereabouts.INCOMMUNICADO,
        held_at="Test district police",
    )
    sentence = _appeal("Testov Linked", deadline=TODAY + dt.timedelta(days=1))

    urgent_alerts_send()

    (message,) = _mails_to("monitor@kuzet.test")
    html = message.alternatives[0].content
    assert message.alternatives[0].mimetype == "text/html"
    person = "https://kuzet.example.org" + reverse("cases:person-detail", args=[detention.person.uid])
    record = "https://kuzet.example.org" + reverse("admin:cases_detention_change", args=[detention.pk])
    case = "https://kuzet.example.org" + reverse(
        "admin:cases_legalcase_change", args=[sentence.legal_case.pk]
    )
    for link in (person, record, case):
        assert link in message.body
        assert f'href="{link}"' in html
    assert "Held incommunicado" in message.body
    assert "Test district police" in message.body
    assert "Whereabouts unknown for more than 24 hours" in message.body
    assert "Held more than 48 hours without a court decision" in html
    assert "appeal deadline 2022-01-21" in message.body
    assert "https://kuzet.example.org" + reverse("cases:dashboard") in message.body


@pytest.mark.django_db
def test_the_email_escapes_what_monitors_typed(recipients):
    _held("Testova <b>Bold</b>", detained_at=_ago(hours=60), whereabouts=Whereabouts.DISCLOSED)

    urgent_alerts_send()

    (message,) = _mails_to("monitor@kuzet.test")
    assert "Testova <b>Bold</b>" in message.body  # plain text stays as typed
    assert "Testova &lt;b&gt;Bold&lt;/b&gt;" in message.alternatives[0].content


@pytest.mark.django_db
def test_the_dashboard_panel_and_the_mail_agree(client, recipients, settings):
    monitor = recipients[0]
    _held("Testova Both", detained_at=_ago(hours=60), whereabouts=Whereabouts.UNKNOWN)
    _held("Testova Stale", detained_at=_ago(days=20), whereabouts=Whereabouts.UNKNOWN)
    _held("Testov Decided", detained_at=_ago(hours=30), whereabouts=Whereabouts.UNDISCLOSED)
    _held(
        "Testova Not mine",
        detained_at=_ago(hours=60),
        confidentiality=Confidentiality.RESTRICTED,
        created_by=recipients[2],
    )
    _appeal("Testov Deadline", deadline=TODAY + dt.timedelta(days=3))
    client.force_login(monitor)

    urgent = client.get(reverse("cases:dashboard")).context["dashboard"].urgent
    urgent_alerts_send()

    shown = [*urgent.whereabouts.rows, *urgent.held.rows, *urgent.appeals]
    (message,) = _mails_to("monitor@kuzet.test")
    mailed = re.findall(r"^- (.+?):", message.body, re.M)
    assert mailed == [item.person_name for item in shown]
    assert [item.key for item in shown] == [item.key for item in urgent_items(user=monitor, now=NOW)]
    assert {item.key for item in shown} <= set(AlertSent.objects.values_list("key", flat=True))
    assert message.subject == f"Kuzet: {urgent.count} new urgent items"


@pytest.mark.django_db
def test_a_second_claim_of_an_item_is_refused_and_the_run_goes_on(recipients):
    _held("Testova Claimed", detained_at=_ago(hours=60), whereabouts=Whereabouts.DISCLOSED)
    (item,) = urgent_items(now=NOW)

    with transaction.atomic():
        assert _claim(item, now=NOW) is not None
        assert _claim(item, now=NOW) is None  # as when a concurrent run committed it first
        assert AlertSent.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_item_once(recipients, settings):
    """Run A is stopped inside its mail, its claim uncommitted; run B starts, finds nothing sent, and waits on
    A's claim in the database. A then finishes: B must send nothing."""
    from django.db import connections

    _held("Testova Race", detained_at=_ago(hours=60), whereabouts=Whereabouts.DISCLOSED)
    settings.EMAIL_BACKEND = f"{__name__}.PausingBackend"
    PausingBackend.pause = True
    PausingBackend.sending.clear()
    PausingBackend.go_on.clear()
    results = {}

    def run(name):
        try:
            results[name] = urgent_alerts_send()
        finally:
            connections.close_all()

    first = threading.Thread(target=run, args=("a",))
    first.start()
    assert PausingBackend.sending.wait(30)
    PausingBackend.pause = False
    second = threading.Thread(target=run, args=("b",))
    second.start()
    _wait_for_a_lock_wait()
    PausingBackend.go_on.set()
    first.join(30)
    second.join(30)

    assert len(results["a"].sent) == 1
    assert results["b"].sent == [] and results["b"].emails == 0
    assert len(mail.outbox) == 3
    assert AlertSent.objects.get().recipients == 3


class PausingBackend(EmailBackend):
    """The locmem backend; the first message it sends waits for `go_on` (the test's other run)."""

    pause = True
    sending = threading.Event()
    go_on = threading.Event()

    def send_messages(self, messages):
        if PausingBackend.pause:
            PausingBackend.sending.set()
            assert PausingBackend.go_on.wait(30)
        return super().send_messages(messages)


def _wait_for_a_lock_wait():
    """Until another connection waits for a row lock (run B's insert waiting for run A's claim)."""
    for _ in range(300):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = "
                "current_database()"
            )
            if cursor.fetchone()[0]:
                return
        threading.Event().wait(0.1)
    raise AssertionError("run B never waited for run A's claim")


# --- Through a real worker ----------------------------------------------------------------------------------


def test_a_real_worker_runs_the_task(celery_worker, recipients):
    _held("Testova Worker", detained_at=_ago(hours=60), whereabouts=Whereabouts.DISCLOSED)

    result = send_urgent_alerts.delay().get(timeout=60)

    assert result == {"sent": 1, "emails": 3}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lawyer@kuzet.test",
        "monitor@kuzet.test",
        "other_monitor@kuzet.test",
    ]
    assert AlertSent.objects.get().recipients == 3


# --- The schedule -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schedule_exists_after_migrate():
    task = PeriodicTask.objects.get(name=URGENT_ALERTS_SCHEDULE)

    assert task.task == "cases.tasks.send_urgent_alerts"
    assert (task.interval.every, task.interval.period) == (15, IntervalSchedule.MINUTES)
    assert task.enabled
    assert json.loads(task.kwargs) == {}


@pytest.mark.django_db
def test_migrate_keeps_an_administrators_changes_to_the_schedule():
    task = PeriodicTask.objects.get(name=URGENT_ALERTS_SCHEDULE)
    task.interval, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
    task.enabled = False
    task.save()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default", apps=django_apps)  # as migrate
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # as flush

    task = PeriodicTask.objects.get(name=URGENT_ALERTS_SCHEDULE)
    assert (task.interval.every, task.interval.period, task.enabled) == (1, IntervalSchedule.HOURS, False)
    assert PeriodicTask.objects.filter(task="cases.tasks.send_urgent_alerts").count() == 1


@pytest.mark.django_db
def test_ensure_periodic_task_creates_a_crontab_task_once():
    task, created = ensure_periodic_task(
        name="Test nightly job",
        task="reports.tasks.test",
        crontab={"minute": "30", "hour": "2", "timezone": "Asia/Almaty"},
        kwargs={"a": 1},
    )
    other, _ = ensure_periodic_task(
        name="Test other nightly job",
        task="reports.tasks.test",
        crontab={"minute": "30", "hour": "2", "timezone": "Asia/Almaty"},
    )
    again, created_again = ensure_periodic_task(
        name="Test nightly job", task="reports.tasks.other", interval_minutes=5, enabled=False
    )

    assert (created, created_again) == (True, False)
    assert again.pk == task.pk
    again.refresh_from_db()
    assert (again.task, again.crontab.minute, again.crontab.hour, again.crontab.day_of_week) == (
        "reports.tasks.test",
        "30",
        "2",
        "*",
    )
    assert again.interval is None and again.enabled and json.loads(again.kwargs) == {"a": 1}
    assert str(again.crontab.timezone) == "Asia/Almaty"
    assert other.crontab_id == again.crontab_id  # one schedule row for the same times


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({}, "exactly one of crontab and interval_minutes"),
        ({"crontab": {"minute": "0"}, "interval_minutes": 5}, "exactly one of crontab and interval_minutes"),
        ({"crontab": {"minutes": "0"}}, "Unknown crontab fields: minutes"),
        ({"interval_minutes": 0}, "at least 1"),
    ],
)
def test_ensure_periodic_task_refuses_a_bad_schedule_and_writes_nothing(arguments, message):
    before = PeriodicTask.objects.count()

    with pytest.raises(ValueError, match=message):
        ensure_periodic_task(name="Test bad job", task="reports.tasks.test", **arguments)

    assert PeriodicTask.objects.count() == before
