"""A source's file is served only through /files/sources/<uid>/file/, to a user who may see the source (a
partner key: a public source only), as an attachment with its type and `nosniff`, and each download is in the
read log. Everyone else gets 404; MEDIA_URL serves nothing."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.models import Confidentiality, ReadKind, ReadLogEntry
from tests.events.factories import SourceFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\nthe court's ruling\n"


@pytest.fixture
def source(settings, tmp_path, monitor):
    settings.MEDIA_ROOT = tmp_path / "media"
    source = SourceFactory(confidentiality=Confidentiality.INTERNAL, created_by=monitor)
    source.file.save("ruling.pdf", ContentFile(PDF))
    return source


def _url(source):
    return reverse("events:source-file", args=[source.uid])


def test_a_user_who_may_see_the_source_downloads_it(client, lawyer, source):
    client.force_login(lawyer)
    response = client.get(_url(source))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "ruling" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = ReadLogEntry.objects.get()
    assert (entry.user, entry.what, entry.object_uid) == (lawyer, ReadKind.EXPORT, source.uid)
    assert entry.data["via"] == "source_file"


@pytest.mark.parametrize("who", ["outsider", "staff_outsider", "partner", None])
def test_who_may_not_see_the_source_gets_404(client, request, who, source):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(_url(source)).status_code == 404
    assert not ReadLogEntry.objects.exists()


def test_a_restricted_source_is_404_to_other_staff(client, monitor, other_monitor, source):
    source.confidentiality = Confidentiality.RESTRICTED
    source.created_by = other_monitor
    source.save()
    client.force_login(monitor)
    assert client.get(_url(source)).status_code == 404
    client.force_login(other_monitor)
    assert client.get(_url(source)).status_code == 200


def test_a_partner_key_gets_public_files_only(partner, api_client_for, source):
    client = api_client_for(partner)
    source.confidentiality = Confidentiality.PARTNERS
    source.save()
    assert client.get(_url(source)).status_code == 404
    source.confidentiality = Confidentiality.PUBLIC
    source.save()
    response = client.get(_url(source), HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert ReadLogEntry.objects.get().api_key is not None
    listed = client.get(f"/api/v1/sources/{source.uid}/").json()
    assert listed["file"] == f"http://testserver{_url(source)}"


def test_a_source_without_a_file_is_404(client, lawyer, source):
    source.file = ""
    source.save()
    client.force_login(lawyer)
    assert client.get(_url(source)).status_code == 404


def test_writes_are_not_allowed(client, lawyer, source):
    client.force_login(lawyer)
    assert client.post(_url(source)).status_code in (403, 405)  # CSRF first, then the method
    assert client.put(_url(source)).status_code in (403, 405)


def test_media_url_serves_nothing(client, lawyer, source, settings):
    client.force_login(lawyer)
    assert client.get(f"/{settings.MEDIA_URL}{source.file.name}").status_code == 404
