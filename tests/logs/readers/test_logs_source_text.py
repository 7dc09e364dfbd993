"""source_text: any export's text, with what it took to get it, and never a U+FFFD."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from paykit.logs.readers import source_text
from paykit.logs.readers.source_text import Decoded, UnreadableExport, decode_source


@pytest.mark.parametrize(("data", "encoding"), [
    ("prix: 5 €".encode(), "utf-8"),
    ("\ufeffprix: 5 €".encode(), "utf-8"),
    ("prix: 5 €".encode("utf-16"), "utf-16-le"),
    (b"\xfe\xff" + "prix: 5 €".encode("utf-16-be"), "utf-16-be"),
    ("prix: 5 €".encode("cp1252"), "cp1252"),
])
def test_each_encoding_is_detected_and_the_text_kept_exactly(data, encoding):
    decoded = decode_source(data)
    assert decoded.text == "prix: 5 €" and decoded.encoding == encoding


def test_a_guessed_encoding_is_said_in_a_note():
    assert decode_source("é".encode("cp1252")).notes == [
        "not UTF-8 (byte 0): read as cp1252, the Windows/Excel guess; check accented text"]
    assert decode_source(b"plain").notes == []


def test_bytes_cp1252_cannot_decode_fall_back_to_latin_1():
    decoded = decode_source(b"caf\xe9 \x81")
    assert decoded.encoding == "latin-1" and decoded.text == "café \x81"


def test_a_decoded_source_passes_through_unchanged():
    decoded = Decoded("x", "f.csv")
    assert decode_source(decoded) is decoded


def test_the_ratio_limit_has_a_floor_for_small_files(monkeypatch):
    data = b"0" * (1 << 20)  # inflates about 1000 times, below the floor: read
    assert len(decode_source(gzip.compress(data)).text) == len(data)
    monkeypatch.setattr(source_text, "_RATIO_FLOOR", 0)
    with pytest.raises(UnreadableExport, match="more than 200 times its size"):
        decode_source(gzip.compress(data))


def test_a_missing_file_is_one_sentence(tmp_path):
    with pytest.raises(UnreadableExport, match="no such file"):
        decode_source(tmp_path / "nope.csv")


def test_an_excel_workbook_is_told_apart_from_an_export():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnreadableExport, match="save it as CSV"):
        decode_source(out.getvalue())


@pytest.mark.parametrize("sample", ["events", "payments", "objects", "events_broken"])
def test_a_reader_lets_the_file_go_once_read(sample):
    """``read`` holds the decoded file while its reader runs: the reader releases the
    text and bytes itself, so they are not held while the log is typed and sorted."""
    from paykit.logs import read, sample_path
    from paykit.logs.readers.source_text import decode_source

    decoded = decode_source(sample_path(sample).read_bytes())
    expected = read(sample_path(sample))
    result = read(decoded)
    assert decoded.utf8 is None and decoded._text is None
    pd.testing.assert_frame_equal(result.log, expected.log)
    with pytest.raises(ValueError, match="released"):
        _ = decoded.text
