"""The analyses give the same answers, in the same order, on a Dask DataFrame, on a local
two-worker Dask cluster; ``read_dask`` reads Parquet parts and export files into it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from paykit.logs import analyse, conformance, declines, funnel, paths, simulate, time_in_status

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    """A real two-worker cluster (worker processes), started here and closed after."""
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                 dashboard_address=None, memory_limit="1GiB") as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def logs():
    log = simulate(1500, seed=8, illegal_rate=0.03)
    return log, dd.from_pandas(log, npartitions=4)


def test_conformance_is_the_same_on_dask(client, logs):
    pandas_log, dask_log = logs
    a, b = conformance(pandas_log), conformance(dask_log)
    assert a.summary.equals(b.summary)
    assert a.violations.equals(b.violations)


def test_time_in_status_is_the_same_on_dask(client, logs):
    pandas_log, dask_log = logs
    assert time_in_status(pandas_log).table.equals(time_in_status(dask_log).table)


def test_funnel_and_declines_are_the_same_on_dask(client, logs):
    pandas_log, dask_log = logs
    assert funnel(pandas_log, by="channel").table.equals(funnel(dask_log, by="channel").table)
    a, b = declines(pandas_log), declines(dask_log)
    assert a.summary.equals(b.summary)
    pd.testing.assert_frame_equal(a.codes, b.codes)
    pd.testing.assert_frame_equal(a.retries, b.retries)


def test_paths_are_the_same_on_dask(client, logs):
    pandas_log, dask_log = logs
    a = paths(pandas_log).astype({"intent": str, "path": str}).sort_values("intent")
    b = paths(dask_log).astype({"intent": str, "path": str}).sort_values("intent")
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                  check_categorical=False)


def test_analyse_runs_on_dask(client, logs):
    assert "Funnel" in analyse(logs[1]).summary()


def test_audit_is_the_same_on_dask(client):
    from paykit.logs import audit, read_sample

    log, _ = read_sample("events_broken")
    expected = audit(log).findings
    assert audit(dd.from_pandas(log, npartitions=3)).findings.equals(expected)


def test_summary_text_is_the_same_on_dask(client, logs):
    pandas_log, dask_log = logs
    assert analyse(pandas_log, by="channel").summary() == analyse(dask_log, by="channel").summary()


def test_categorical_ids_are_shuffled_as_strings(client, logs):
    from paykit.logs.analyses.intent_partitions import map_intents

    dtypes = map_intents(logs[1], lambda part: str(part["intent"].dtype), columns=("intent",))
    assert set(dtypes) == {"string"} and len(dtypes) == logs[1].npartitions


def _parts(log, folder, suffix):
    """The log cut into three files of whole rows (an intent may straddle two files)."""
    from paykit.logs import write_events

    step = -(-len(log) // 3)
    paths = []
    for i in range(3):
        part = log.iloc[i * step:(i + 1) * step]
        path = folder / f"part{i}{suffix}"
        if suffix == ".parquet":
            part.to_parquet(path, index=False)
        else:
            write_events(part, path)
        paths.append(path)
    return paths


def test_parquet_parts_read_into_dask_give_the_single_machine_answers(client, logs, tmp_path):
    from paykit.logs import read_dask

    pandas_log = logs[0]
    _parts(pandas_log, tmp_path, ".parquet")
    frame = read_dask(tmp_path)
    assert frame.npartitions == 3
    a, b = conformance(pandas_log), conformance(frame)
    assert a.summary.equals(b.summary) and a.violations.equals(b.violations)
    pd.testing.assert_frame_equal(declines(pandas_log).codes, declines(frame).codes)
    assert analyse(pandas_log).summary() == analyse(frame).summary()


def test_event_files_read_into_dask_give_the_single_machine_answers(client, tmp_path):
    from paykit.logs import read_dask, read_events, write_events

    log = simulate(600, seed=9, illegal_rate=0.03)
    write_events(log, tmp_path / "all.jsonl")
    single = read_events(tmp_path / "all.jsonl").log
    folder = tmp_path / "parts"
    folder.mkdir()
    intents = log["intent"].astype(str)
    for i, group in enumerate(("0", "1")):  # whole intents per file, as a daily export has
        write_events(log[intents.str[-1].isin(list("01234") if i == 0 else list("56789"))],
                     folder / f"events{group}.jsonl")
    frame = read_dask(str(folder / "*.jsonl"))
    a, b = conformance(single), conformance(frame)
    assert a.summary.equals(b.summary)
    # the same violations in the same order; lines are those of each file, not of all.jsonl
    assert a.violations.drop(columns="source_line").equals(
        b.violations.drop(columns="source_line"))
    assert funnel(single).table.equals(funnel(frame).table)


def test_read_dask_says_when_there_is_nothing_to_read(tmp_path):
    from paykit.logs import read_dask

    with pytest.raises(FileNotFoundError, match="no such file"):
        read_dask(tmp_path / "missing.jsonl")
    with pytest.raises(FileNotFoundError, match="no files"):
        read_dask(tmp_path)


def test_parts_of_whole_intents_are_analysed_without_a_shuffle(client, logs, tmp_path,
                                                               monkeypatch):
    import dask.dataframe as dask_frames

    from paykit.logs import read_dask, write_parquet_parts

    pandas_log = logs[0]
    files = write_parquet_parts(pandas_log, tmp_path, parts=4)
    ids = [set(pd.read_parquet(f)["intent"]) for f in files]
    assert sum(len(i) for i in ids) == len(set().union(*ids)) == 1500  # no intent in two
    frame = read_dask(tmp_path)
    assert frame.known_divisions and frame.npartitions == 4

    def no_shuffle(*args, **kwargs):
        raise AssertionError("shuffled parts that hold whole intents")

    monkeypatch.setattr(dask_frames.DataFrame, "shuffle", no_shuffle)
    a, b = conformance(pandas_log), conformance(frame)
    assert a.summary.equals(b.summary) and a.violations.equals(b.violations)
    assert analyse(pandas_log).summary() == analyse(frame).summary()


def test_the_partitioned_index_has_one_name_everywhere():
    from paykit.logs.analyses.intent_partitions import PARTITIONED_BY
    from paykit.logs.readers.dask_frames import _INTENT_INDEX
    from paykit.logs.show.parquet_parts import INTENT_INDEX

    assert PARTITIONED_BY == _INTENT_INDEX == INTENT_INDEX


def _by_intent_and_time(frame):
    return (frame.astype({"intent": str}).sort_values(["intent", "time", "source_line"])
            .reset_index(drop=True))


def test_the_client_gets_counts_and_the_first_violations_not_all(client, logs, monkeypatch):
    from paykit.logs.analyses import transition_stats as stats

    pandas_log, dask_log = logs
    full = conformance(pandas_log)
    monkeypatch.setattr(stats, "VIOLATION_EXAMPLES", 4)
    bounded = conformance(dask_log)  # the default bound on Dask
    assert len(full.violations) > 4 and len(bounded.violations) == 4
    assert not bounded.complete and full.complete
    assert bounded.summary.equals(full.summary)
    pd.testing.assert_frame_equal(bounded.by_transition, full.by_transition)
    assert bounded.violations.equals(full.violations.head(4))
    assert "the first 4 violations listed" in bounded.describe()


def test_examples_give_the_same_first_violations_on_both_paths(client, logs):
    pandas_log, dask_log = logs
    a, b = conformance(pandas_log, examples=7), conformance(dask_log, examples=7)
    assert a.summary.equals(b.summary) and a.violations.equals(b.violations)
    assert len(a.violations) == 7 and not a.complete and not b.complete
    relaxed = conformance(dask_log, require_creation=False, examples=7)
    assert relaxed.summary.equals(conformance(pandas_log, require_creation=False).summary)


def test_out_writes_every_violation_where_each_partition_is_checked(client, logs, tmp_path):
    pandas_log, dask_log = logs
    full = conformance(pandas_log)
    bounded = conformance(dask_log, examples=2, out=tmp_path / "violations")
    files = sorted((tmp_path / "violations").glob("part-*.parquet"))
    assert 1 < len(files) <= dask_log.npartitions
    written = pd.read_parquet(tmp_path / "violations")
    assert len(written) == len(full.violations) > len(bounded.violations)
    pd.testing.assert_frame_equal(_by_intent_and_time(written),
                                  _by_intent_and_time(full.violations), check_dtype=False)


def test_many_partitions_are_combined_on_the_workers_into_one_answer(client, logs):
    from paykit.logs.analyses.intent_partitions import map_intents

    pandas_log = logs[0]
    many = dd.from_pandas(pandas_log, npartitions=12)  # more than one combining round
    a, b = conformance(pandas_log), conformance(many)
    assert a.summary.equals(b.summary) and a.violations.equals(b.violations)
    assert time_in_status(pandas_log).table.equals(time_in_status(many).table)
    assert map_intents(many, len, columns=("intent",), combine=sum) == [len(pandas_log)]


def test_the_client_gets_the_figures_of_the_stays_not_their_value_counts(client, logs):
    from paykit.logs.analyses.transition_stats import stay_figures, transition_stats

    pandas_log, dask_log = logs
    here, there = transition_stats(pandas_log), transition_stats(dask_log)
    assert len(here.durations) > 0 and len(there.durations) == 0
    np.testing.assert_equal(there.figures, stay_figures(here))  # NaN where no stay
