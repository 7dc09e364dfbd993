"""Partitioned logs straight into Dask: Parquet files, or one export file per partition.

``read_dask`` never loads the whole log on the client. Parquet files (a folder, a glob,
or a list; for instance logs saved with ``log.to_parquet``) are read by
``dask.dataframe.read_parquet``, which reads only the columns an analysis asks for. Any
other file (JSON Lines of events, an events page, a Dashboard CSV) becomes one partition,
read on a worker by ``read`` exactly as on one machine, so its rows are checked and
quarantined the same way (``read(path).report`` gives a file's report).

The partitions are typed for Dask: ``intent`` and the other free-text categorical columns
become strings (a category of every id, repeated in each partition, grows with the
intents and is what ran workers out of memory, issue #16), while ``status`` and
``event`` keep their fixed categories. Only the schema's columns are kept from export
files, since ``metadata.*`` and ``export.*`` columns differ from file to file and a
Dask frame has one set of columns.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from paykit.logs.arrays.log_schema import COLUMNS, EVENT_DTYPE, STATUS_DTYPE, empty_log
from paykit.logs.readers.format_detection import read

__all__ = ["dask_typed", "read_dask"]

_STRING = pd.StringDtype("pyarrow")
#: The sorted index of parts written by ``show.parquet_parts`` (this stage cannot import
#: that one; its test checks the two names agree).
_INTENT_INDEX = "_intent"
_FIXED = {"status": STATUS_DTYPE, "event": EVENT_DTYPE}
_SCHEMA = [c.name for c in COLUMNS]


def dask_typed(log: pd.DataFrame, *, schema_only: bool = False) -> pd.DataFrame:
    """A log's partition as Dask should hold it: ids and free categories as strings,
    ``status`` and ``event`` with their fixed categories.

    >>> dask_typed(empty_log())["intent"].dtype == pd.StringDtype("pyarrow")
    True
    """
    frame = log[[c for c in _SCHEMA if c in log.columns]] if schema_only else log
    out = {}
    for name in frame.columns:
        values = frame[name]
        if name in _FIXED:
            values = values.astype(_FIXED[name])
        elif isinstance(values.dtype, pd.CategoricalDtype) or (
                name == "intent" and values.dtype != _STRING):
            values = values.astype(_STRING)
        out[name] = values
    return pd.DataFrame(out, index=frame.index)


def _files(source: Any) -> list[str]:
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            return sorted(str(p) for p in path.iterdir() if p.is_file()
                          and not p.name.startswith((".", "_")))
        matches = sorted(glob.glob(str(source)))
        return matches or [str(source)]
    return [str(p) for p in source]


def _read_file(path: str) -> pd.DataFrame:
    return dask_typed(read(path).log, schema_only=True)


def _read_parquet(dd: Any, files: list[str]) -> Any:
    """Parquet parts; those ``write_parquet_parts`` wrote keep their sorted intent index,
    so Dask knows each part's ids and the analyses need no shuffle."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(files[0]).pandas_metadata or {}
    # text stored with a dictionary (a pandas categorical) read as strings: parts hold
    # categories of their own, of different types where a part has no value, and Dask,
    # fusing the parts it reads few columns of, cannot join those ("dtype of categories
    # must be the same"); ``status`` and ``event`` get their fixed categories back below
    as_strings = {"types_mapper": _strings_for_dictionaries}
    if meta.get("index_columns") == [_INTENT_INDEX]:
        frame = dd.read_parquet(files, index=_INTENT_INDEX, calculate_divisions=True,
                                categories={}, arrow_to_pandas=as_strings)
        if frame.known_divisions:
            return frame
        return frame.reset_index(drop=True)
    return dd.read_parquet(files, categories={}, arrow_to_pandas=as_strings)


def _strings_for_dictionaries(kind: pa.DataType) -> Any:
    """Arrow strings for a dictionary of text (or of nothing), else the default.

    >>> _strings_for_dictionaries(pa.dictionary(pa.int32(), pa.string())) == _STRING
    True
    >>> _strings_for_dictionaries(pa.int64()) is None
    True
    """
    if pa.types.is_dictionary(kind) and (
            pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
            or pa.types.is_null(kind.value_type)):
        return _STRING
    return None


def read_dask(source: str | Path | Sequence[str | Path]) -> Any:
    """A Dask DataFrame of the log in ``source``: a folder, a glob or a list of files,
    Parquet files read as Parquet, any other export one partition per file.

    >>> import tempfile, paykit.logs as pl
    >>> folder = Path(tempfile.mkdtemp())
    >>> for i, part in enumerate((pl.simulate(20, seed=1), pl.simulate(30, seed=2))):
    ...     _ = pl.write_events(part.assign(intent=part["intent"].astype(str) + f"_{i}"),
    ...                         folder / f"events{i}.jsonl")
    >>> frame = read_dask(folder)
    >>> frame.npartitions, int(frame["intent"].nunique().compute())
    (2, 50)
    """
    import dask.dataframe as dd

    files = _files(source)
    if not files:
        raise FileNotFoundError(f"no files in {source}")
    if all(f.endswith((".parquet", ".pq")) for f in files):
        # categories={}: a category column holding only nulls (a log's empty
        # ``dispute_status``) otherwise fails to convert ("categories cannot be null")
        frame = _read_parquet(dd, files)
        # astype, not map_partitions: an analysis's column projection still reaches the
        # Parquet reader, so only the columns it reads are read
        wanted = dask_typed(frame._meta).dtypes
        changes = {c: t for c, t in wanted.items() if frame._meta[c].dtype != t}
        return frame.astype(changes) if changes else frame
    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        raise FileNotFoundError(f"no such file: {missing[0]}")
    return dd.from_map(_read_file, files, meta=dask_typed(empty_log(), schema_only=True),
                       enforce_metadata=False)
