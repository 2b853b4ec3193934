"""Encryption of a whole backup file, in chunks, so a large database never sits in memory (Fernet encrypts
one message at a time, so a multi-gigabyte dump would have to be held whole, twice).

The format (version 1), written and read as a stream:

    header   b"KUZETBK1" (8 bytes: magic and version) + a random 16-byte salt
    frames   flag (1 byte: 0 = more follow, 1 = last) + length (4 bytes, big-endian)
             + AES-256-GCM ciphertext and tag of up to CHUNK plaintext bytes

The AES key is HKDF-SHA256 of the 32 bytes of a Fernet key (BACKUP_ENCRYPTION_KEY), salted with the
header's salt: each file has its own key, and the Fernet key itself is never used for two purposes. Frame i
is sealed with the nonce i (11 bytes, big-endian) + its flag, and the header as associated data: frames cannot
be reordered, dropped, moved between files, or cut off after any frame but the last (a stream without a last
frame is refused as truncated).
"""

import base64
import binascii
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"KUZETBK1"
SALT_SIZE = 16
HEADER_SIZE = len(MAGIC) + SALT_SIZE
CHUNK = 1024 * 1024
_FRAME = struct.Struct(">BI")
_TAG = 16


class CryptoError(Exception):
    """The file cannot be decrypted: wrong key, damaged or truncated."""


def parse_keys(value: str) -> list[bytes]:
    """The raw 32-byte keys of comma-separated Fernet keys; raises ValueError for a malformed one."""
    keys = []
    for part in (item.strip() for item in value.split(",")):
        if not part:
            continue
        try:
            raw = base64.urlsafe_b64decode(part.encode())
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ValueError("not a Fernet key (32 bytes, url-safe base64)")
        keys.append(raw)
    return keys


def _aead(key: bytes, salt: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"kuzet backup v1")
    return AESGCM(hkdf.derive(key))


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def is_encrypted(path) -> bool:
    with open(path, "rb") as file:
        return file.read(len(MAGIC)) == MAGIC


class EncryptingWriter:
    """A write-only file object that encrypts what is written to `out` frame by frame; `finish()` seals
    the last frame (it does not close `out`)."""

    def __init__(self, out, key: bytes):
        salt = os.urandom(SALT_SIZE)
        self._header = MAGIC + salt
        self._aead = _aead(key, salt)
        self._out = out
        self._buffer = bytearray()
        self._index = 0
        out.write(self._header)

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._frame(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def finish(self) -> None:
        self._frame(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _frame(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._index, last), plain, self._header)
        self._out.write(_FRAME.pack(int(last), len(sealed)) + sealed)
        self._index += 1


class DecryptingReader:
    """A read-only file object giving the plaintext of an encrypted stream, trying each key on the first
    frame. Raises CryptoError for a wrong key, a changed byte, or a stream cut short."""

    def __init__(self, file, keys: list[bytes]):
        self._file = file
        self._header = file.read(HEADER_SIZE)
        if len(self._header) != HEADER_SIZE or not self._header.startswith(MAGIC):
            raise CryptoError("not an encrypted Kuzet backup")
        self._index = 0
        self._done = False
        self._buffer = bytearray()
        salt = self._header[len(MAGIC) :]
        first = self._read_frame()
        for key in keys:
            aead = _aead(key, salt)
            try:
                self._buffer += self._open(aead, *first)
            except CryptoError:
                continue
            self._aead = aead
            return
        raise CryptoError("wrong key, or the file is damaged")

    def _read_frame(self) -> tuple[bool, bytes]:
        head = self._file.read(_FRAME.size)
        if len(head) != _FRAME.size:
            raise CryptoError("the file is truncated")
        flag, length = _FRAME.unpack(head)
        sealed = self._file.read(length)
        if flag > 1 or length > CHUNK + _TAG or len(sealed) != length:
            raise CryptoError("the file is truncated or damaged")
        return bool(flag), sealed

    def _open(self, aead: AESGCM, last: bool, sealed: bytes) -> bytes:
        try:
            plain = aead.decrypt(_nonce(self._index, last), sealed, self._header)
        except InvalidTag:
            raise CryptoError("wrong key, or the file is damaged") from None
        self._index += 1
        if last:
            self._done = True
            if self._file.read(1):
                raise CryptoError("data after the last frame: the file is damaged")
        return plain

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._buffer += self._open(self._aead, *self._read_frame())
        size = len(self._buffer) if size < 0 else size
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data
