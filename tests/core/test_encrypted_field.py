import pytest
from cryptography.fernet import Fernet
from django.db import connection

from core.fields import _fernet
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_contact_details_are_ciphertext_in_the_database_and_text_in_the_app():
    person = PersonFactory(contact_details="+7 700 000 00 00, Testcity, Test street 1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_details FROM people_person WHERE id = %s", [person.pk])
        stored = cursor.fetchone()[0]
    assert "Test street" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    person.refresh_from_db()
    assert person.contact_details == "+7 700 000 00 00, Testcity, Test street 1"


def test_a_rotated_key_still_reads_old_rows(settings):
    person = PersonFactory(contact_details="old secret")
    old_key = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{old_key}"
    _fernet.cache_clear()
    try:
        person.refresh_from_db()
        assert person.contact_details == "old secret"
    finally:
        settings.FIELD_ENCRYPTION_KEY = old_key
        _fernet.cache_clear()
