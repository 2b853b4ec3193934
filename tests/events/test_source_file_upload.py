"""Source files are checked on the way in: an accepted type by content (not by name) and no larger than
SOURCE_UPLOAD_MAX_MB, in the admin and in `import_all`; a refused file is named with the reason, and nothing
is saved."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Source
from events.validators import source_file_check
from exchange.dump import DumpError, dump_load, dump_write
from tests.admin_forms import form_data
from tests.events.factories import SourceFactory
from tests.exchange.test_export_all_command import _empty_the_records

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("ruling.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        ("photo.png", PNG, "image/png"),
        ("photo.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        ("banner.gif", b"GIF89a\x01\x00\x01\x00", "image/gif"),
        ("arrest.mp4", b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "video/mp4"),
        ("arrest.mov", b"\x00\x00\x00\x14ftypqt  \x20\x05\x03\x00", "video/quicktime"),
        ("call.m4a", b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "audio/mp4"),
        ("call.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
        ("call.ogg", b"OggS\x00\x02\x00\x00", "audio/ogg"),
        ("statement.txt", "Показания свидетеля, 22.02.2019\n".encode(), "text/plain"),
        ("statement-1251.txt", "Показания свидетеля\r\n".encode("cp1251"), "text/plain"),
        (
            "ruling.docx",
            _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
            "wordprocessingml",
        ),
        ("list.xlsx", _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}), "sheet"),
        ("ruling.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "opendocument.text"),
    ],
)
def test_accepted_types_are_recognised_by_content(name, content, content_type):
    found = source_file_check(ContentFile(content, name=name))
    assert content_type in found.content_type


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("protocol.pdf", HTML, "its content is not of an accepted type"),
        ("notes.txt", HTML, "its content is not of an accepted type"),
        (
            "image.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
            "not of an accepted",
        ),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "its content is not of an accepted type"),
        ("archive.docx", _zip({"payload.exe": b"MZ"}), "its content is not of an accepted type"),
        ("photo.pdf", PNG, "its name ends in “.pdf” but its content is PNG"),
        ("empty.pdf", b"", "it is empty"),
    ],
)
def test_other_content_is_refused_naming_the_file_and_the_reason(name, content, reason):
    with pytest.raises(ValidationError) as refused:
        source_file_check(ContentFile(content, name=name))
    message = refused.value.messages[0]
    assert f"“{name}” was not accepted" in message and reason in message


def test_a_file_over_the_limit_is_refused(settings):
    settings.SOURCE_UPLOAD_MAX_MB = 1
    big = ContentFile(b"%PDF-1.7\n" + b"0" * (1024 * 1024), name="scan.pdf")
    with pytest.raises(ValidationError, match=r"“scan\.pdf” was not accepted: it is larger than 1 MB"):
        source_file_check(big)
    source_file_check(ContentFile(b"%PDF-1.7\n" + b"0" * 1000, name="scan.pdf"))


def _add_form(client):
    page = client.get(reverse("admin:events_source_add"))
    data = dict(form_data(page))
    data.update({"kind": ["court_document"], "title": ["Ruling"], "reliability": ["confirmed"]})
    return data


def test_the_admin_refuses_html_named_pdf_and_saves_nothing(client, monitor, media):
    client.force_login(monitor)
    data = _add_form(client)
    data["file"] = SimpleUploadedFile("protocol.pdf", HTML, content_type="application/pdf")
    response = client.post(reverse("admin:events_source_add"), data)
    assert response.status_code == 200
    assert (
        "“protocol.pdf” was not accepted: its content is not of an accepted type" in response.content.decode()
    )
    assert not Source.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_admin_refuses_an_oversize_file(client, monitor, media, settings):
    settings.SOURCE_UPLOAD_MAX_MB = 1
    client.force_login(monitor)
    data = _add_form(client)
    data["file"] = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    response = client.post(reverse("admin:events_source_add"), data)
    assert "“scan.pdf” was not accepted: it is larger than 1 MB" in response.content.decode()
    assert not Source.objects.exists()


def test_the_admin_stores_an_accepted_file_with_its_fingerprint(client, monitor, media):
    client.force_login(monitor)
    data = _add_form(client)
    data["file"] = SimpleUploadedFile("ruling.pdf", b"%PDF-1.7\nruling")
    response = client.post(reverse("admin:events_source_add"), data)
    assert response.status_code == 302
    source = Source.objects.get()
    assert source.file.name.endswith(".pdf") and len(source.sha256) == 64
    page = client.get(reverse("admin:events_source_change", args=[source.pk])).content.decode()
    assert reverse("events:source-file", args=[source.uid]) in page  # the link goes through the checked view
    assert "/media/" not in page


def test_import_all_refuses_a_source_file_an_upload_would_not_accept(tmp_path, media):
    source = SourceFactory()
    source.file.save("protocol.pdf", ContentFile(HTML))  # stored before checks existed
    dump_write(directory=tmp_path / "dump")
    _empty_the_records()
    with pytest.raises(
        DumpError, match=r"“protocol\.pdf” was not accepted: its content is not of an accepted"
    ):
        dump_load(directory=tmp_path / "dump")
    assert not Source.objects.exists()
