"""What a source file may be: one of a short list of types, recognised by its content (the first bytes, and
for a ZIP container the parts inside), not by its name; and no larger than SOURCE_UPLOAD_MAX_MB.

Why by content: a name is whatever the uploader typed, and a page that the browser renders (HTML, SVG) or a
program, named "protocol.pdf", would otherwise be stored and served as evidence. Why no library: the list is
short and fixed, each signature is a few bytes, and the Office formats need their ZIP opened anyway, which
the magic-number libraries (python-magic, filetype) leave to the caller or get wrong for DOCX and XLSX.
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_HEAD = 8192  # bytes read to recognise a type


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", ("pdf",))
JPEG = FileType("JPEG", "image/jpeg", ("jpg", "jpeg", "jpe"))
PNG = FileType("PNG", "image/png", ("png",))
WEBP = FileType("WebP", "image/webp", ("webp",))
GIF = FileType("GIF", "image/gif", ("gif",))
MP4 = FileType("MP4", "video/mp4", ("mp4", "m4v"))
MOV = FileType("MOV", "video/quicktime", ("mov", "qt", "mp4"))
M4A = FileType("M4A", "audio/mp4", ("m4a", "m4b", "mp4"))
MP3 = FileType("MP3", "audio/mpeg", ("mp3",))
OGG = FileType("OGG", "audio/ogg", ("ogg", "oga", "opus", "ogv"))
TEXT = FileType("plain text", "text/plain", ("txt", "text", "md", "csv", "log"))
DOCX = FileType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",))
XLSX = FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
ODT = FileType("ODT", "application/vnd.oasis.opendocument.text", ("odt",))
ACCEPTED = (PDF, JPEG, PNG, WEBP, GIF, MP4, MOV, MP3, OGG, M4A, TEXT, DOCX, XLSX, ODT)

# Text that a browser would render as a page or run: refused even under a .txt name.
_MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe", b"<meta")


def max_upload_bytes() -> int:
    return int(getattr(settings, "SOURCE_UPLOAD_MAX_MB", 100)) * 1024 * 1024


def detect(file) -> FileType | None:
    """The accepted type `file` (a seekable binary file object) is, by its content; None for any other.
    Leaves the file at its start."""
    file.seek(0)
    head = file.read(_HEAD)
    file.seek(0)
    try:
        return _detect(head, file)
    finally:
        file.seek(0)


def _detect(head: bytes, file) -> FileType | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return M4A if brand in (b"M4A ", b"M4B ") else MOV if brand == b"qt  " else MP4
    if head[4:8] in (b"moov", b"mdat", b"wide"):  # QuickTime without an ftyp box
        return MOV
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MP3
    if head.startswith(b"PK\x03\x04"):
        return _office(file)
    return TEXT if _is_text(head) else None


def _office(file) -> FileType | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.content_type.encode():
                return ODT
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            # Another 8-bit encoding (Windows-1251 is common here): text if it has no control characters.
            return not any(b < 0x20 and b not in b"\t\n\r\f" for b in head) and not _is_markup(head)
        text = head[: exc.start].decode("utf-8")
    if any(ord(c) < 0x20 and c not in "\t\n\r\f" for c in text):
        return False
    return not _is_markup(head)


def _is_markup(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(b"<") or any(tag in head[:2048].lower() for tag in _MARKUP)


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return size


def source_file_check(file, *, name: str | None = None) -> FileType:
    """The type of a file offered as a source's file, or ValidationError naming the file and why it is
    refused: empty, larger than SOURCE_UPLOAD_MAX_MB, content not of an accepted type, or a name whose
    extension does not match the content (a PNG called .pdf). Reads only the start of the file (and a ZIP's
    directory)."""
    name = name or getattr(file, "name", "") or _("the file")
    display = name.rsplit("/", 1)[-1]
    size = _size(file)
    if size == 0:
        raise _refused(display, _("it is empty"))
    limit = max_upload_bytes()
    if size > limit:
        raise _refused(display, _("it is larger than %(max)s MB") % {"max": limit // (1024 * 1024)})
    found = detect(file)
    if found is None:
        accepted = ", ".join(t.label for t in ACCEPTED)
        raise _refused(display, _("its content is not of an accepted type (%(types)s)") % {"types": accepted})
    extension = display.rsplit(".", 1)[-1].lower() if "." in display else ""
    if extension not in found.extensions:
        raise _refused(
            display,
            _("its name ends in “.%(ext)s” but its content is %(type)s")
            % {"ext": extension, "type": found.label},
        )
    return found


def _refused(name: str, reason: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” was not accepted: %(reason)s.") % {"name": name, "reason": reason}, code="source_file"
    )


__all__ = ["ACCEPTED", "FileType", "detect", "max_upload_bytes", "source_file_check"]
