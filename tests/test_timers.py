"""paykit.timers: what falls due comes back in time order, and a newer timer wins."""

from __future__ import annotations

from paykit.timers import Timers


def test_due_timers_come_back_earliest_first_and_only_once():
    timers = Timers()
    timers.schedule(300, "payment_intent", "pi_a", "settle")
    timers.schedule(100, "payment_intent", "pi_b", "expire")
    timers.schedule(200, "payment_intent", "pi_c", "settle")
    assert [t.object_id for t in timers.due(250)] == ["pi_b", "pi_c"]
    assert [t.object_id for t in timers.due(250)] == []
    assert [t.object_id for t in timers.due(300)] == ["pi_a"]
    assert len(timers) == 0


def test_a_newer_timer_makes_the_older_one_stale():
    timers = Timers()
    timers.schedule(100, "payment_intent", "pi_a", "settle")
    timers.schedule(500, "payment_intent", "pi_a", "expire")
    first, = timers.due(100)
    assert not timers.is_current(first)
    second, = timers.due(500)
    assert timers.is_current(second) and second.kind == "expire"


def test_the_sandbox_settles_a_bank_debit_once_its_timer_is_due(sb):
    pi = sb.payment_intents.create(amount=1099, currency="eur",
                                   payment_method="pm_sepaDebit", confirm=True)
    assert pi.status == "processing"
    sb.advance(days=4)
    assert sb.payment_intents.retrieve(pi.id).status == "processing"
    sb.advance(days=1)
    assert sb.payment_intents.retrieve(pi.id).status == "succeeded"
