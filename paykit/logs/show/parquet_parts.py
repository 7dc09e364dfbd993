"""A log written as Parquet parts that Dask reads quickly (``paykit.logs.read_dask``).

``log.to_parquet`` of a slice keeps the whole categorical dtype: every part of a cut log
would store the dictionary of *all* its intent ids, so eight parts of a million-intent log
hold eight million ids, and reading them back costs ten times reading the rows (measured
with ``benchmarks/logs.py``). ``write_parquet_parts`` writes each part with only the
categories it uses and ``intent`` as plain strings, and keeps whole intents together: the
log is ordered by intent id, cut into ranges of ids, and each file also carries the id as
its sorted index (``INTENT_INDEX``). ``read_dask`` then knows which ids each partition
holds (Dask's "divisions"), and the analyses need no shuffle at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.analyses.intent_partitions import as_log
from paykit.logs.arrays.row_sort import intent_codes

__all__ = ["INTENT_INDEX", "write_parquet_parts"]

#: The index name of parts written here: a copy of ``intent``, sorted, so Dask learns each
#: file's range of ids from the Parquet statistics.
INTENT_INDEX = "_intent"


def write_parquet_parts(log: Any, folder: str | Path, parts: int = 8) -> list[Path]:
    """Write ``log`` as ``parts`` Parquet files of whole intents in ``folder``; return them.

    >>> import tempfile
    >>> from paykit.logs import read_dask, simulate
    >>> folder = Path(tempfile.mkdtemp())
    >>> files = write_parquet_parts(simulate(300), folder, parts=3)
    >>> len(files), int(read_dask(folder)["intent"].nunique().compute())
    (3, 300)
    """
    frame = as_log(log)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ids = frame["intent"].astype(pd.StringDtype("pyarrow"))
    order = np.argsort(ids.to_numpy(dtype=object, na_value=""), kind="stable")
    frame = frame.iloc[order]
    codes, _ = intent_codes(ids.iloc[order].reset_index(drop=True))
    rank = np.cumsum(np.r_[True, codes[1:] != codes[:-1]]) - 1 if len(codes) else codes
    part_of = (rank * parts) // max(int(rank.max()) + 1, 1) if len(rank) else rank
    written = []
    for i in range(parts):
        piece = frame[part_of == i]
        out = {}
        for name in piece.columns:
            values = piece[name]
            if name == "intent":
                values = values.astype(pd.StringDtype("pyarrow"))
            elif isinstance(values.dtype, pd.CategoricalDtype):
                values = values.cat.remove_unused_categories()
            out[name] = values
        path = folder / f"part{i:04d}.parquet"
        table = pd.DataFrame(out)
        table.index = pd.Index(table["intent"], name=INTENT_INDEX)
        table.to_parquet(path)
        written.append(path)
    return written
