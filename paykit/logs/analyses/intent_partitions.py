"""Run a per-intent computation on a pandas log or, partition by partition, on a Dask one.

Every analysis is written as two functions: one that works on a pandas frame holding
*all* the rows of the intents it contains, and one that combines the partial results.
With pandas the whole log is one partition. With Dask the log is first shuffled on
``intent`` (rows of one intent land in one partition), each partition is sorted and
analysed on its own, and the partial results are combined: the same code, so the
same answers. Sorting happens inside each partition, because a shuffle leaves rows
unsorted within a partition (https://github.com/dask/dask/pull/8782, "fix groupby shift
bug caused by unsorted partitions after shuffle").

What crosses the network is kept small: an analysis names the ``columns`` it reads, and
one that reads only status rows says so (``status_only``), so the shuffle moves only
those. The ``intent`` column is shuffled as plain strings: a categorical id column
carries every id in each partition's categories, which grows with the intents and is
what made workers run out of memory (issue #16). Each partition's result comes back to
the client, so an analysis returns from each partition only what it adds up (counts, a
bounded number of example violations), never a row per intent, unless a row per intent
is what it was asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import pandas as pd

from paykit.logs.readers.read_report import ReadResult

__all__ = ["PARTITIONED_BY", "as_log", "combined", "intent_tasks", "is_dask", "map_intents"]

#: A Dask log indexed by this name with known divisions holds whole intents per partition
#: (``paykit.logs.write_parquet_parts``, read back by ``read_dask``): no shuffle is needed.
PARTITIONED_BY = "_intent"

_T = TypeVar("_T")
#: How many partial results one worker task combines (``map_intents(combine=...)``).
_FAN_IN = 8


def is_dask(obj: Any) -> bool:
    """Whether ``obj`` is a Dask collection (checked without importing Dask).

    >>> is_dask(pd.DataFrame())
    False
    """
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr")


def as_log(obj: Any) -> Any:
    """The log inside whatever a user passes: a reader's result, a frame, a Dask frame.

    >>> as_log(ReadResult(pd.DataFrame({"intent": []}), None)).columns.tolist()
    ['intent']
    """
    if isinstance(obj, ReadResult):
        return obj.log
    if isinstance(obj, pd.DataFrame) or is_dask(obj):
        return obj
    raise TypeError(
        f"expected a payment log (a DataFrame from a paykit.logs reader), got {type(obj)!r}"
    )


def _without_index(fn: Callable[..., _T]) -> Callable[..., _T]:
    def run(part: pd.DataFrame, *number: int) -> _T:
        return fn(part.reset_index(drop=True), *number)

    return run


def map_intents(log: Any, fn: Callable[..., _T], *,
                columns: Sequence[str] | None = None, status_only: bool = False,
                numbered: bool = False,
                combine: Callable[[list[_T]], _T] | None = None,
                finish: Callable[[_T], _T] | None = None) -> list[_T]:
    """``fn`` applied to groups of whole intents: the log itself, or each Dask partition.

    On Dask, only ``columns`` (those the log has; all if ``None``) and, with
    ``status_only``, only rows showing a status are shuffled; ``fn`` must not need more.
    With ``numbered``, ``fn`` is also given the group's number (0 for a pandas log), so
    what it writes per partition has a name of its own. With ``combine``, the results
    are combined on the workers, ``_FAN_IN`` at a time, and only the last one comes
    back: the client receives one result however many partitions there are; ``finish``
    then runs on that result where it was combined (a Dask worker), before it comes back.

    >>> map_intents(pd.DataFrame({"intent": ["pi_1"]}), len)
    [1]
    """
    log = as_log(log)
    if not is_dask(log):
        return [fn(log, 0) if numbered else fn(log)]
    import dask

    tasks = intent_tasks(log, fn, columns=columns, status_only=status_only, numbered=numbered)
    if combine is not None:
        tasks = [combined(tasks, combine)]
        if finish is not None:
            tasks = [dask.delayed(finish)(tasks[0])]
    return list(dask.compute(*tasks))


def intent_tasks(log: Any, fn: Callable[..., Any], *, columns: Sequence[str] | None = None,
                 status_only: bool = False, numbered: bool = False) -> list[Any]:
    """The Dask tasks (``dask.delayed``, not computed) of ``fn`` on each group of whole
    intents of a Dask log: ``map_intents`` without the computing, for a caller that goes
    on from them (a second shuffle, a lazy frame).

    >>> import dask.dataframe as dd
    >>> log = dd.from_pandas(pd.DataFrame({"intent": ["pi_1", "pi_2", "pi_1"]}), npartitions=2)
    >>> sum(t.compute(scheduler="sync") for t in intent_tasks(log, len))
    3
    """
    import dask

    if columns is not None:
        log = log[[c for c in dict.fromkeys(("intent", *columns)) if c in log.columns]]
    if status_only:
        log = log[log["status"].notnull()]
    if log.index.name == PARTITIONED_BY and log.known_divisions:
        # parts of whole intents, each knowing its ids (write_parquet_parts): no shuffle
        parts, fn = log.to_delayed(), _without_index(fn)
    else:
        if isinstance(log["intent"].dtype, pd.CategoricalDtype):
            log = log.assign(intent=log["intent"].astype(pd.StringDtype("pyarrow")))
        parts = log.shuffle(on="intent").to_delayed()
    return [dask.delayed(fn)(part, number) if numbered else dask.delayed(fn)(part)
            for number, part in enumerate(parts)]


def combined(tasks: list[Any], combine: Callable[[list[Any]], Any]) -> Any:
    """One task combining ``tasks`` on the workers, ``_FAN_IN`` at a time, in order.

    >>> import dask
    >>> tasks = [dask.delayed(n) for n in range(20)]
    >>> combined(tasks, sum).compute(scheduler="sync")
    190
    """
    import dask

    while len(tasks) > 1:  # a tree, in partition order
        tasks = [dask.delayed(combine)(tasks[i:i + _FAN_IN])
                 for i in range(0, len(tasks), _FAN_IN)]
    return tasks[0]
