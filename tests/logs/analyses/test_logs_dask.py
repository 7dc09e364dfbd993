"""The analyses give the same answers on a Dask DataFrame, on a local Dask cluster."""

from __future__ import annotations

import pandas as pd
import pytest

from paykit.logs import analyse, conformance, declines, funnel, paths, simulate, time_in_status

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                 dashboard_address=None) as cluster,
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
