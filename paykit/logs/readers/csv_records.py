"""The records of a CSV file, each with its line, and exactly the damaged ones set aside.

A CSV parser that meets a stray quote reads on to the next quote and swallows every row
in between into one cell; a short row is padded, a cut-off last row looks complete.
The report would still balance, counted over what the parser thought it saw. Here the
file's physical lines are the ground truth:

- a record is one line, or several when a quoted cell really holds line breaks: the
  quote that opens it must close within ``MAX_LINES_PER_RECORD`` lines, no line in
  between may be a full row on its own (balanced quotes, the header's number of
  fields), and the joined record must have the header's number of fields. Otherwise
  the opening line alone is damaged and reading resumes on the next line, so a stray
  quote costs one row, not the rest of the file;
- a row with too few or too many fields, a repeated header line (two exports
  concatenated), a NUL byte, or a cell the ``csv`` module refuses is quarantined with
  its line and the reason; a short last row in a file that does not end with a line
  break is reported as cut off;
- blank lines hold no record and are skipped.

The usual export needs none of that: when the text itself shows that every physical
line is one record (no NUL byte or lone carriage return; every quote part of a
well-formed quoted cell on its line; pyarrow returns one row per line, each of the
header's width, none with every cell empty as a blank line gives; no row repeats the
header), pyarrow's multi-threaded CSV reader parses the bytes, and row ``k`` is on line
``k + 2``. Anything else goes the careful way, the whole
file, so both give the same records (``tests/logs/readers/test_logs_csv_fast_path.py``).
The fast parse is about 10x ``pandas.read_csv`` on the same text (0.05 s for a 27 MB
export of 232k rows, ``simulate(200_000)``, this machine, 2026-12).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from paykit.logs.readers.json_records import Progress

__all__ = ["MAX_LINES_PER_RECORD", "CsvRecords", "split_records"]

#: A quoted cell may hold at most this many line breaks (a long description); beyond
#: that, an opening quote is taken for a stray one.
MAX_LINES_PER_RECORD = 64
_CHUNK = 100_000


@dataclass
class CsvRecords:
    """The header, the good rows as a frame of strings, each row's first line, and the
    damaged records as (line, reason, raw)."""

    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray
    damaged: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def records(self) -> int:
        """Every record after the header: good and damaged."""
        return len(self.cells) + len(self.damaged)


def _unique(header: list[str]) -> list[str]:
    """Column names made unique the way pandas does (``X``, ``X.1``)."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}.{seen[name]}")
        else:
            seen[name] = 0
            out.append(name)
    return out


def _fields(text: str, delimiter: str) -> list[str] | None:
    """The fields of one record's text, or ``None`` if a quoted cell is left open."""
    if '"' not in text:
        return text.split(delimiter)
    try:
        return next(csv.reader([text], delimiter=delimiter, strict=True), [])
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            return None
    return next(csv.reader([text], delimiter=delimiter), [])  # lenient: `"ab"c` is `abc`


def _well_quoted(text: str, delimiter: str) -> bool:
    """Whether every line holding a quote is a row of well-formed quoted cells on that
    line (each ``"`` opens a cell, closes it before a delimiter or the line end, or is
    doubled inside it): the only quoting on which every CSV parser agrees."""
    sep = re.escape(delimiter)
    field = rf'(?:[^"{sep}\r\n]*|"(?:[^"\r\n]++|"")*+")'  # possessive: no backtracking
    line_pattern = re.compile(rf"{field}(?:{sep}{field})*\r?")
    at = text.find('"')
    while at >= 0:
        begin = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if line_pattern.fullmatch(text, begin, end) is None:
            return False
        at = text.find('"', end)
    return True


def _fast(text: str, delimiter: str, utf8: bytes | None = None) -> CsvRecords | None:
    """The file parsed by pyarrow's CSV reader when each physical line is exactly one
    well-formed record of the header's width; ``None`` when anything needs the careful
    path (a blank line, a NUL byte, a lone carriage return, a quote out of place, a
    line break inside a cell, a row of another width, a repeated header).

    Every condition is checked against the text itself, so the rows the parser returns
    are the file's records one for one, and line ``k + 2`` holds row ``k``. ``utf8``,
    the text's own UTF-8 bytes if the caller has them, saves encoding it again.
    """
    if (not text or text.isspace() or not text[0].strip() or "\x00" in text
            or ("\r" in text and text.count("\r") != text.count("\r\n"))
            or ('"' in text and not _well_quoted(text, delimiter))):
        return None
    first_break = text.find("\n")
    header = _fields(text[:first_break].removesuffix("\r"), delimiter)
    if header is None or len(header) < 2:
        return None
    names = _unique(header)
    if len(set(names)) != len(names):  # `X`, `X`, `X.1`: let the careful path name them
        return None
    if utf8 is None:
        try:
            utf8 = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: only the careful path shows it
            return None
    # Read as bytes: the text is valid UTF-8 and cells split only at ASCII bytes, so
    # each cell is too, and pyarrow's check of every cell (a third of its time) is moot.
    binary = pa.large_binary()
    try:
        table = pcsv.read_csv(
            pa.BufferReader(utf8),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=False,
                                            ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, binary), strings_can_be_null=False,
                quoted_strings_can_be_null=False),
        )
    except pa.ArrowException:  # a row of another width, mostly
        return None
    # With the checks above each line break ends a row, so the rows are the lines after
    # the header one for one (no need to count them), blank ones included.
    if not table.num_rows or _has_blank_row(table):
        return None
    string = pa.large_string()
    table = pa.table([pa.chunked_array([chunk.view(string) for chunk in column.chunks], string)
                      for column in table.columns], names=names)
    dtype = pd.StringDtype(na_value=np.nan)  # what dtype=str gives: the careful path's
    frame = table.to_pandas(types_mapper=lambda _: dtype)
    frame.columns = pd.Index(names)
    if (frame.iloc[:, 0] == names[0]).any():  # perhaps a repeated header line
        return None
    return CsvRecords(names, frame, np.arange(2, len(frame) + 2, dtype=np.int64))


def _has_blank_row(table: pa.Table) -> bool:
    """Whether a row has every cell empty: pyarrow makes one of a blank line (which the
    careful path skips), so the text need not be searched for ``\\n\\n``; a row of
    bare delimiters looks the same and goes the careful way too."""
    rows: np.ndarray | None = None
    for column in table.columns:
        values = column if rows is None else column.take(rows)
        empty = pc.equal(pc.binary_length(values), 0).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(empty) if rows is None else rows[empty]
        if not len(rows):
            return False
    return True


def split_records(text: str, delimiter: str, progress: Progress | None = None, *,
                  utf8: bytes | None = None) -> CsvRecords:
    """Split a CSV text into its header, good rows and damaged records (``utf8``: the
    text's own UTF-8 bytes, if the caller has them).

    >>> r = split_records('a,b\\n1,2\\n3,"x\\n4,5\\n6\\n', ",")
    >>> r.cells.values.tolist(), r.lines.tolist(), r.damaged
    ([['1', '2'], ['4', '5']], [2, 4], [(3, 'a quote opened here never closes', '3,"x'), \
(5, 'expected 2 fields, found 1', '6')])
    """
    fast = _fast(text, delimiter, utf8)
    if fast is not None:
        if progress is not None:
            progress(len(fast.cells), len(fast.cells))
        return fast
    physical = text.split("\n")
    ends_with_break = physical[-1] == ""
    if ends_with_break:
        physical.pop()
    physical = [line[:-1] if line.endswith("\r") else line for line in physical]
    n = len(physical)
    i = 0
    while i < n and not physical[i].strip():
        i += 1
    raw_header = (_fields(physical[i], delimiter) if i < n else None) or []
    header = _unique(raw_header)
    width = len(header)
    i += 1
    rows: list[list[str]] = []
    lines: list[int] = []
    damaged: list[tuple[int, str, str]] = []

    def full_row(j: int) -> bool:
        """A line that is a whole row by itself (quotes balanced): not inside a cell."""
        if physical[j].count('"') % 2:
            return False
        fields = _fields(physical[j], delimiter)
        return fields is not None and len(fields) == width

    while i < n:
        line = physical[i]
        if progress is not None and i % _CHUNK == 0:
            progress(i, n)
        if not line.strip():
            i += 1
            continue
        start = i
        try:
            fields = _fields(line, delimiter)
            if fields is None:  # an open quote: a cell with line breaks, or damage
                text_so_far = line
                j = i + 1
                while j < n and j - i <= MAX_LINES_PER_RECORD and not full_row(j):
                    text_so_far += "\n" + physical[j]
                    fields = _fields(text_so_far, delimiter)
                    if fields is not None:
                        break
                    j += 1
                if fields is None or len(fields) != width:
                    damaged.append((start + 1, "a quote opened here never closes", line))
                    i += 1
                    continue
                i = j + 1
            else:
                i += 1
        except csv.Error as error:
            damaged.append((start + 1, f"unreadable row ({error})", line))
            i += 1
            continue
        reason = _damage(fields, raw_header, width, last=i >= n and not ends_with_break)
        if reason:
            damaged.append((start + 1, reason, "\n".join(physical[start:i])))
        else:
            rows.append(fields)
            lines.append(start + 1)
    cells = pd.DataFrame(rows, columns=header, dtype=str) if header else pd.DataFrame()
    return CsvRecords(header, cells, np.array(lines, dtype=np.int64), damaged)


def _damage(fields: list[str], header: list[str], width: int, *, last: bool) -> str | None:
    """Why a record with these fields cannot be a row, or ``None``."""
    if len(fields) < width and last:
        return (f"cut off: the file ends mid-row ({len(fields)} of {width} fields, "
                "no final line break)")
    if len(fields) != width:
        return f"expected {width} fields, found {len(fields)}"
    if fields == header:
        return "a repeated header line (files joined together?)"
    if any("\x00" in cell for cell in fields):
        return "NUL byte in the row (damaged file)"
    return None
