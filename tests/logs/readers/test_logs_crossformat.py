"""One scenario exported as events, as objects and as a Dashboard CSV: same answers."""

from __future__ import annotations

import pytest

from paykit.logs import (
    conformance,
    declines,
    funnel,
    paths,
    read_dashboard_csv,
    read_events,
    read_objects,
    simulate,
    write_dashboard_csv,
    write_events,
    write_objects,
)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    # Card and bank-debit payments with declines and retries; 3D Secure failures are
    # left out because a Dashboard export has no row for an attempt without a charge.
    log = simulate(400, seed=11, mix={"card_3ds": 0.0}, decline_rate=0.3)
    folder = tmp_path_factory.mktemp("exports")
    return {
        "events": read_events(write_events(log, folder / "events.jsonl")).log,
        "pages": read_events(write_events(log, folder / "pages.json", shape="pages")).log,
        "objects": read_objects(write_objects(log, folder / "intents.json")).log,
        "csv": read_dashboard_csv(write_dashboard_csv(log, folder / "payments.csv")).log,
        "csv_locale": read_dashboard_csv(write_dashboard_csv(
            log, folder / "payments_de.csv", delimiter=";", decimal=",", minutes=True)).log,
    }


def _per_intent(log, columns):
    table = paths(log).set_index("intent")
    table.index = table.index.astype(str)
    return table[columns].astype(str).sort_index()


@pytest.mark.parametrize("fmt", ["pages", "objects", "csv", "csv_locale"])
def test_outcome_amount_and_currency_agree_in_every_format(exports, fmt):
    columns = ["outcome", "amount", "currency"]
    assert _per_intent(exports[fmt], columns).equals(_per_intent(exports["events"], columns))


@pytest.mark.parametrize("fmt", ["pages", "objects", "csv", "csv_locale"])
def test_funnel_created_attempted_succeeded_agree(exports, fmt):
    steps = ["created", "attempted", "succeeded"]
    reference = funnel(exports["events"]).table.set_index("step").loc[steps, "intents"]
    assert funnel(exports[fmt]).table.set_index("step").loc[steps, "intents"].equals(reference)


@pytest.mark.parametrize("fmt", ["events", "pages", "objects", "csv", "csv_locale"])
def test_every_format_conforms(exports, fmt):
    assert conformance(exports[fmt]).ok


@pytest.mark.parametrize("fmt", ["pages", "csv", "csv_locale"])
def test_attempts_and_declines_agree_where_the_format_keeps_every_attempt(exports, fmt):
    columns = ["attempts", "declines"]
    assert _per_intent(exports[fmt], columns).equals(_per_intent(exports["events"], columns))
    a, b = declines(exports[fmt]), declines(exports["events"])
    assert a.summary.equals(b.summary)
    assert a.codes["declines"].equals(b.codes["declines"])
