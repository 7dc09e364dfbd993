"""The text of an export, whatever it was saved as: compressed or not, in any encoding.

Analysts get exports that went through other hands: gzipped by a script, bzip2ed or
zipped by a desktop, re-saved by Excel as "Unicode text" (UTF-16) or in a Windows code
page. ``decode_source`` opens all of them and says what it did, so nothing is
changed without a word:

- **compression** is recognised by its magic bytes (gzip, bz2, a zip holding exactly
  one file) and inflated in blocks; a file that inflates more than ``MAX_RATIO`` times
  its size (beyond a small floor) is refused, so a decompression bomb stops with a
  sentence, not by filling memory;
- **encoding**: a byte-order mark decides (UTF-8, UTF-16 LE/BE); UTF-16 without one is
  recognised by its zero bytes; otherwise strict UTF-8, then cp1252, then latin-1
  (which decodes any byte). The last two are guesses, so the read report gets a note.
  No character is ever replaced by U+FFFD;
- **not text** (an image, a spreadsheet, a database file) is refused with
  ``UnreadableExport``: one sentence naming what was seen and what was expected. An
  empty file is text with no records: the JSON readers read it as an empty log.
"""

from __future__ import annotations

import bz2
import codecs
import io
import os
import zipfile
import zlib
from pathlib import Path
from typing import Any

__all__ = ["MAX_RATIO", "Decoded", "UnreadableExport", "decode_source", "source_name"]

#: A compressed export may inflate to at most this many times its size. Measured on
#: ``simulate`` logs written by ``paykit.logs``: events JSON Lines inflate 24x from gzip
#: and 36x from bzip2, the Dashboard CSV 6x and 10x; a gzip bomb of zeros about 1000x.
MAX_RATIO = 200
#: Below this many inflated bytes the ratio is not checked (tiny files inflate a lot).
_RATIO_FLOOR = 16 << 20
_BLOCK = 1 << 20
#: Share of control characters above which a file is binary data, not a text export.
_BINARY_SHARE = 0.1
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")


class UnreadableExport(ValueError):
    """A file paykit cannot read as an export; the message is one sentence saying why."""


class Decoded:
    """An export's text with what was done to get it (for the read report).

    A plain UTF-8 file keeps its bytes (``utf8``) and decodes its text only when a
    reader asks for it: pyarrow's readers parse the bytes, so a large export is not held
    in memory twice.
    """

    def __init__(self, text: str | None, name: str, encoding: str = "utf-8",
                 notes: list[str] | None = None, utf8: bytes | None = None) -> None:
        if text is None and utf8 is None:
            raise ValueError("a Decoded needs its text or its UTF-8 bytes")
        self._text = text
        self.name = name
        self.encoding = encoding
        self.notes = notes if notes is not None else []
        self.utf8 = utf8

    def __repr__(self) -> str:
        return f"Decoded(name={self.name!r}, encoding={self.encoding!r}, notes={self.notes!r})"

    @property
    def text(self) -> str:
        """The whole text (decoded now if only the bytes were kept)."""
        if self._text is None:
            if self.utf8 is None:
                raise ValueError(f"{self.name}: this text was released by the reader that read it")
            self._text = self.utf8.decode("utf-8")
        return self._text

    @property
    def size(self) -> int:
        """Characters in the text, or bytes while only the bytes are kept (for progress)."""
        return len(self._text) if self._text is not None else len(self.utf8 or b"")

    def head(self, size: int) -> str:
        """About the first ``size`` characters, without decoding the whole file.

        >>> Decoded(None, "f", utf8="é,x".encode()).head(1)  # a cut character is left out
        ''
        """
        if self._text is not None:
            return self._text[:size]
        assert self.utf8 is not None
        return self.utf8[:size].decode("utf-8", errors="ignore")  # valid: only the cut

    def is_blank(self) -> bool:
        """Whether the text is only white space (or nothing)."""
        return not self.head(1 << 16).strip() and not self.text.strip()

    def take_text(self) -> str:
        """The whole text, which only the caller then holds (this object lets it and the
        bytes go, as ``release`` does): a record-by-record reader frees it when done.

        >>> decoded = Decoded(None, "f", utf8=b"id")
        >>> decoded.take_text(), decoded.utf8
        ('id', None)
        """
        text = self.text
        self.release()
        return text

    def release(self) -> None:
        """Let the text and bytes go: a reader done with them calls this, so the memory
        comes back even while its caller (``read``) still holds this object.

        >>> decoded = Decoded("id\\n", "f")
        >>> decoded.release()
        >>> decoded.text
        Traceback (most recent call last):
        ...
        ValueError: f: this text was released by the reader that read it
        """
        self._text, self.utf8 = None, None


def source_name(source: Any) -> str:
    """A short name for messages: the file name, or what kind of object was given.

    >>> source_name("exports/events.jsonl")
    'events.jsonl'
    """
    if isinstance(source, Decoded):
        return source.name
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return getattr(source, "name", type(source).__name__)


def _raw_bytes(source: Any, name: str) -> bytes | str:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            return path.read_bytes()
        except IsADirectoryError:
            raise UnreadableExport(f"{name} is a folder, not an export file") from None
        except FileNotFoundError:
            raise UnreadableExport(f"no such file: {path}") from None
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str | bytes):
            return data
    raise TypeError(f"cannot read {type(source).__name__}: give a path, bytes or a file")


def _inflate(stream: Any, size: int, name: str, kind: str) -> bytes:
    """Read a decompressing stream in blocks, refusing to go past the ratio limit."""
    limit = max(size * MAX_RATIO, _RATIO_FLOOR)
    out = io.BytesIO()
    try:
        while block := stream.read(_BLOCK):
            out.write(block)
            if out.tell() > limit:
                raise UnreadableExport(
                    f"{name}: the {kind} data inflates to more than {MAX_RATIO} times its "
                    f"size ({size:,} bytes); refused as a likely decompression bomb"
                )
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as error:
        raise UnreadableExport(f"{name}: damaged {kind} data ({error})") from None
    return out.getvalue()


def _decompress(data: bytes, name: str, notes: list[str]) -> bytes:
    import gzip

    if data[:2] == b"\x1f\x8b":
        notes.append("gzip-compressed")
        return _inflate(gzip.GzipFile(fileobj=io.BytesIO(data)), len(data), name, "gzip")
    if data[:3] == b"BZh":
        notes.append("bzip2-compressed")
        return _inflate(bz2.BZ2File(io.BytesIO(data)), len(data), name, "bzip2")
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as error:
            raise UnreadableExport(f"{name}: damaged zip archive ({error})") from None
        members = [m for m in archive.infolist() if not m.is_dir()]
        if any(m.filename == "[Content_Types].xml" for m in members):
            raise UnreadableExport(
                f"{name} is an Office document (an Excel workbook?), not an export; "
                "save it as CSV (UTF-8) and read that"
            )
        if len(members) != 1:
            listed = ", ".join(m.filename for m in members[:5]) or "nothing"
            raise UnreadableExport(
                f"{name} is a zip archive of {len(members)} files ({listed}); "
                "expected exactly one export inside"
            )
        notes.append(f"zip member {members[0].filename}")
        try:
            stream = archive.open(members[0])
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile) as error:
            raise UnreadableExport(f"{name}: cannot open the zip member ({error})") from None
        return _inflate(stream, len(data), name, "zip")
    return data


def _looks_utf16(data: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` when zero bytes sit at every other position."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _utf8_error(data: bytes) -> int | None:
    """Where ``data`` stops being UTF-8, or ``None``: checked block by block, so a large
    file is not decoded whole just to be checked."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = _BLOCK * 16
    for at in range(0, len(data), step):
        pending = len(decoder.getstate()[0])  # a character cut by the last block
        try:
            decoder.decode(data[at:at + step], final=at + step >= len(data))
        except UnicodeDecodeError as error:
            return at - pending + error.start
    return None


def _decode(data: bytes, name: str) -> tuple[str | None, str, str | None]:
    """The text (``None``: the bytes are plain UTF-8, decode them when needed), the
    encoding used, and a note when the encoding was a guess."""
    boms = (
        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            body = data[len(bom):] if encoding != "utf-8-sig" else data
            try:
                return body.decode(encoding), encoding.replace("-sig", ""), None
            except UnicodeDecodeError as error:
                raise UnreadableExport(
                    f"{name} starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} at byte {error.start}"
                ) from None
    guessed = _looks_utf16(data)
    if guessed:
        try:
            return data.decode(guessed), guessed, f"no byte-order mark: read as {guessed}"
        except UnicodeDecodeError:
            pass
    bad = _utf8_error(data)
    if bad is None:
        return None, "utf-8", None
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, encoding, (
            f"not UTF-8 (byte {bad}): read as {encoding}, the Windows/Excel guess; "
            "check accented text"
        )
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _check_text(text: str, name: str) -> None:
    head = text[:65536]
    controls = sum(1 for ch in head if ch < " " and ch not in _TEXT_CONTROLS)
    if controls > max(_BINARY_SHARE * len(head), 8):
        raise UnreadableExport(
            f"{name} holds binary data ({controls:,} control characters in its first "
            f"{len(head):,}); expected a CSV or JSON export, plain, .gz, .bz2 or .zip"
        )


def decode_source(source: Any) -> Decoded:
    """Open a path, bytes, text or file object as text, saying what it took.

    A ``Decoded`` passes through unchanged, so a caller may decode once and hand the
    result to a reader.

    >>> decoded = decode_source("café".encode("cp1252") + b",x\\n")
    >>> decoded.text, decoded.encoding
    ('café,x\\n', 'cp1252')
    """
    if isinstance(source, Decoded):
        return source
    name = source_name(source)
    raw = _raw_bytes(source, name)
    notes: list[str] = []
    if isinstance(raw, str):
        decoded = Decoded(raw.lstrip("\ufeff"), name, "text", notes)
    else:
        data = _decompress(raw, name, notes)
        text, encoding, note = _decode(data, name)
        if note:
            notes.append(note)
        decoded = Decoded(text, name, encoding, notes, utf8=data if text is None else None)
    _check_text(decoded.head(65536), name)
    return decoded
