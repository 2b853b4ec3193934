"""The full dump (`export_all`) is the one way the private encrypted fields leave an instance: it moves an
instance to another (with another key), so it must lose nothing. It writes them decrypted, which makes a
dump as sensitive as the database and its key together; they come back encrypted under the new key."""

import json

import pytest
from django.db import connection

from cases.models import Detention
from exchange.dump import dump_load, dump_write
from people.models import Person
from tests.cases.factories import DetentionFactory
from tests.exchange.test_export_all_command import _empty_the_records
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_dump_carries_the_private_fields_and_loads_them_encrypted(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    person = PersonFactory(home_address="Secretstreet 12", private_notes="person-private-marker")
    DetentionFactory(person=person, private_notes="detention-private-marker")
    dump_write(directory=tmp_path / "dump")

    people = json.loads((tmp_path / "dump" / "people.person.json").read_text())
    (row,) = [r for r in people if r["uid"] == str(person.uid)]
    assert (row["home_address"], row["private_notes"]) == ("Secretstreet 12", "person-private-marker")

    _empty_the_records()
    dump_load(directory=tmp_path / "dump")
    loaded = Person.objects.get(uid=person.uid)
    assert (loaded.home_address, loaded.private_notes) == ("Secretstreet 12", "person-private-marker")
    assert Detention.objects.get(person=loaded).private_notes == "detention-private-marker"
    with connection.cursor() as cursor:
        cursor.execute("SELECT home_address FROM people_person WHERE id = %s", [loaded.pk])
        assert cursor.fetchone()[0].startswith("gAAAA")
