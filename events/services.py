"""Writes to events."""

import hashlib

from events.models import Source


def source_fingerprint(*, source: Source) -> Source:
    """Store the SHA-256 of an attached file, so a later copy can be proven identical to what was filed."""
    if not source.file:
        source.sha256 = ""
        return source
    digest = hashlib.sha256()
    source.file.open("rb")
    for chunk in source.file.chunks():
        digest.update(chunk)
    source.file.seek(0)
    source.sha256 = digest.hexdigest()
    return source
