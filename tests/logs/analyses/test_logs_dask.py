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

    shuffle = dask_frames.DataFrame.shuffle

    def no_shuffle_by_intent(self, *args, **kwargs):
        if kwargs.get("on") != "customer":  # questions across intents need customers' rows
            raise AssertionError("shuffled parts that hold whole intents")
        return shuffle(self, *args, **kwargs)

    monkeypatch.setattr(dask_frames.DataFrame, "shuffle", no_shuffle_by_intent)
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


@pytest.fixture(scope="module")
def rich():
    """A log with customers, refunds and disputes, and its Dask twin in 5 partitions."""
    log = simulate(1500, seed=8, illegal_rate=0.03, refund_rate=0.1, dispute_rate=0.05)
    return log, dd.from_pandas(log, npartitions=5)


def _sorted_rows(frame, key):
    return frame.astype({key: str}).sort_values(key, kind="stable").reset_index(drop=True)


def test_the_money_questions_are_the_same_on_dask(client, rich):
    from paykit.logs import authorisation, disputes, money, refunds

    pandas_log, dask_log = rich
    a, b = money(pandas_log), money(dask_log)
    pd.testing.assert_frame_equal(a.by_currency, b.by_currency)
    pd.testing.assert_frame_equal(a.converted, b.converted)
    a, b = disputes(pandas_log), disputes(dask_log)
    assert a.summary.equals(b.summary) and a.summary["disputed_charges"] > 0
    pd.testing.assert_frame_equal(a.by_currency, b.by_currency)
    pd.testing.assert_frame_equal(a.by_reason, b.by_reason)
    for by in ("card_brand", "payment_method_type", None):
        pd.testing.assert_frame_equal(authorisation(pandas_log, by=by).table,
                                      authorisation(dask_log, by=by).table)
    a, b = refunds(pandas_log), refunds(dask_log)
    assert a.summary.equals(b.summary) and a.summary["refunded_charges"] > 0
    pd.testing.assert_frame_equal(a.by_currency, b.by_currency)
    pd.testing.assert_frame_equal(a.per_intent, b.per_intent)


def test_row_tables_stay_on_the_cluster_until_computed(client, rich):
    from paykit.logs import customer_retries, refunds

    pandas_log, dask_log = rich
    here, there = refunds(pandas_log).time_to_refund, refunds(dask_log).time_to_refund
    assert dd.utils.is_dataframe_like(there) and hasattr(there, "dask")  # lazy
    pd.testing.assert_frame_equal(_sorted_rows(here, "charge"),  # Dask: Arrow strings
                                  _sorted_rows(there.compute(), "charge"), check_dtype=False)
    a, b = customer_retries(pandas_log), customer_retries(dask_log)
    assert hasattr(b.per_customer, "dask") and not hasattr(a.per_customer, "dask")
    pd.testing.assert_frame_equal(a.per_customer, b.per_customer.compute().sort_index())
    paths_there = analyse(dask_log).paths
    assert hasattr(paths_there, "dask")
    pd.testing.assert_frame_equal(
        _sorted_rows(paths(pandas_log), "intent"),
        _sorted_rows(paths_there.compute(), "intent").astype({"path": str}),
        check_categorical=False, check_dtype=False)


def test_questions_across_intents_are_the_same_on_dask(client, rich):
    from paykit.logs import cohorts, customer_retries, time_series, variants

    pandas_log, dask_log = rich
    a, b = customer_retries(pandas_log), customer_retries(dask_log)
    assert a.summary.equals(b.summary) and a.summary["retrying_customers"] > 0
    pd.testing.assert_frame_equal(a.distribution, b.distribution)
    for freq in ("D", "W", "M"):
        pd.testing.assert_frame_equal(time_series(pandas_log, freq).table,
                                      time_series(dask_log, freq).table)
        x, y = cohorts(pandas_log, freq), cohorts(dask_log, freq)
        pd.testing.assert_frame_equal(x.table, y.table)
        pd.testing.assert_series_equal(x.sizes, y.sizes)
    assert cohorts(pandas_log, "D").table.shape[1] > 1  # more than one period to compare
    pd.testing.assert_frame_equal(variants(pandas_log), variants(dask_log))


def test_analyse_on_dask_gives_the_single_machine_answers(client, rich):
    pandas_log, dask_log = rich
    a, b = analyse(pandas_log, by="card_brand"), analyse(dask_log, by="card_brand")
    assert a.summary() == b.summary()
    assert list(a.authorisation) == list(b.authorisation) == [
        "card_brand", "card_country", "card_funding", "payment_method_type"]
    pd.testing.assert_frame_equal(a.cohorts.table, b.cohorts.table)
    pd.testing.assert_frame_equal(a.time_series.table, b.time_series.table)
    assert a.refunds.summary.equals(b.refunds.summary)


def test_the_client_receives_counts_whose_size_does_not_grow_with_intents(client):
    """What one Dask pass brings back is keyed by currency, code, week...: never by
    intent, charge or customer; with 4x the intents over the same weeks it is hardly
    bigger (a few more retry counts), and the delays to refund come back as figures."""
    from functools import partial

    from paykit.logs.analyses import all_analyses
    from paykit.logs.analyses.partition_counts import count_log

    seen = {}

    def spying(log, counters, **kwargs):
        counts = count_log(log, counters, **kwargs)
        seen[len(log)] = counts
        return counts

    sizes = {}
    for n in (600, 2400):
        log = simulate(n, seed=3, refund_rate=0.1, dispute_rate=0.05)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(all_analyses, "count_log", partial(spying))
            analyse(dd.from_pandas(log, npartitions=4))
        counts = seen[len(log)]
        for name, frame in counts.items():
            assert not set(frame.index.names) & {"intent", "charge", "customer"}, name
        assert "refunds.delays" not in counts and len(counts["refunds.delay_figures"]) == 2
        sizes[n] = sum(len(frame) for frame in counts.values())
    assert sizes[2400] <= sizes[600] * 1.1, sizes


def test_parquet_parts_where_some_hold_no_dispute_are_analysed(client, rich, tmp_path):
    """Parts written with only the categories they use: a part without a dispute has
    empty dispute categories, which Dask must still fuse with the others."""
    from paykit.logs import read_dask, write_parquet_parts

    pandas_log = rich[0]
    write_parquet_parts(pandas_log, tmp_path, parts=40)
    parts = [pd.read_parquet(f)["dispute_status"] for f in sorted(tmp_path.iterdir())]
    assert any(p.isna().all() for p in parts) and not all(p.isna().all() for p in parts)
    expected = analyse(pandas_log).summary()
    assert analyse(read_dask(tmp_path)).summary().replace(
        " (the first 1000 violations listed)", "") == expected


def test_the_report_and_charts_of_a_dask_analysis(client, rich):
    import matplotlib

    from paykit.logs import html_report

    matplotlib.use("Agg")
    pandas_log, dask_log = rich
    result, here = analyse(dask_log), analyse(pandas_log)
    page, expected = html_report(result), html_report(here)
    headings = [line for line in expected.splitlines() if line.startswith("<h2")]
    assert headings and [line for line in page.splitlines() if line.startswith("<h2")] == headings
    for name in ("funnel", "declines", "refunds", "customer_retries", "cohorts", "money"):
        assert getattr(result, name).plot().get_title() == getattr(here, name).plot().get_title()


def test_parquet_files_each_with_categories_of_their_own_are_analysed(client, rich, tmp_path):
    """Files written by pandas from slices of a categorical log (as paykit did before):
    each keeps the categories it uses, of another type where it has no value; Dask fuses
    such files when it reads few columns, so they are read as strings."""
    from paykit.logs import read_dask

    pandas_log = rich[0]
    slot = pd.factorize(pandas_log["intent"].astype(str))[0] % 40
    for k in range(40):
        part = pandas_log[slot == k]
        part = part.assign(intent=part["intent"].astype(str), **{
            name: part[name].cat.remove_unused_categories() for name in part.columns
            if name != "intent" and isinstance(part[name].dtype, pd.CategoricalDtype)})
        part.to_parquet(tmp_path / f"part{k:02d}.parquet", index=False)
    kinds = {str(pd.read_parquet(f)["dispute_status"].cat.categories.dtype)
             for f in sorted(tmp_path.iterdir())}
    assert len(kinds) > 1  # the case: categories of different types across the files
    expected = analyse(pandas_log).summary()
    assert analyse(read_dask(tmp_path)).summary().replace(
        " (the first 1000 violations listed)", "") == expected
