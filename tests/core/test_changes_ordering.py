"""The feed's seq follows commit order (core.changes): a writer draws its seq only after every earlier writer
has committed, so a partner that has read up to seq N can never later meet an entry below N."""

import threading

import pytest
from django.db import connection, transaction

from core.models import ChangeLog
from tests.people.factories import PersonFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Decided before the database is set up: SQLite lets one writer at a time in anyway.
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the advisory lock that orders writers is PostgreSQL's"
    ),
]

WAIT = 10  # seconds; only reached when something is wrong


def _in_thread(target, *args):
    """Run `target` on its own database connection, as a second request would."""

    def run():
        try:
            target(*args)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_later_writer_waits_for_an_earlier_one_to_commit():
    first_logged, release_first, second_done = threading.Event(), threading.Event(), threading.Event()
    people = {}

    def first():
        with transaction.atomic():
            people["first"] = PersonFactory(full_name="Testova First")
            first_logged.set()
            release_first.wait(WAIT)

    def second():
        first_logged.wait(WAIT)
        with transaction.atomic():
            people["second"] = PersonFactory(full_name="Testov Second")
        second_done.set()

    threads = [_in_thread(first), _in_thread(second)]
    blocked = not second_done.wait(1)  # the first still holds the log: the second cannot draw a seq
    visible_meanwhile = ChangeLog.objects.filter(uid__in=[p.uid for p in people.values()]).count()
    release_first.set()
    for thread in threads:
        thread.join(WAIT)

    assert blocked
    assert visible_meanwhile == 0
    first_seqs = set(ChangeLog.objects.filter(uid=people["first"].uid).values_list("seq", flat=True))
    second_seqs = set(ChangeLog.objects.filter(uid=people["second"].uid).values_list("seq", flat=True))
    assert max(first_seqs) < min(second_seqs)
