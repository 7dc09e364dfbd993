"""paykit.machine: a table of rows with named guards decides, and a broken one cannot load."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

import pytest

from paykit.machine import (
    ALWAYS,
    Guard,
    Limit,
    Machine,
    MachineDefinitionError,
    MoveRefused,
    Refusal,
    Row,
)


class Door(StrEnum):
    SHUT = "shut"
    OPEN = "open"
    GONE = "gone"


class Act(StrEnum):
    BUILD = "build"
    PUSH = "push"
    BURN = "burn"


class Facts(NamedTuple):
    locked: bool = False
    strength: str = "weak"


DOMAINS = {"locked": (False, True), "strength": ("weak", "strong")}
UNLOCKED = Guard("unlocked", "the door is not locked", lambda f: not f.locked)
LOCKED = Guard("locked", "the door is locked", lambda f: f.locked)


def _machine(rows=None, refusals=None, **options):
    rows = rows if rows is not None else (
        Row(None, Act.BUILD, Door.SHUT, (), ALWAYS, "built shut"),
        Row(Door.SHUT, Act.PUSH, Door.OPEN, (), UNLOCKED, "it opens"),
        Row(Door.SHUT, Act.BURN, Door.GONE, (), ALWAYS, "it burns"),
        Row(Door.OPEN, Act.BURN, Door.GONE, (), ALWAYS, "it burns"),
    )
    refusals = refusals if refusals is not None else (
        Refusal(Door.SHUT, Act.PUSH, LOCKED, "door_locked", "The door is locked."),
    )
    return Machine("door", Door, Act, Facts, DOMAINS, rows=rows, refusals=refusals,
                   terminal=frozenset({Door.GONE}), event_types=frozenset(), **options)


def test_the_machine_answers_the_one_row_whose_guard_holds():
    machine = _machine()
    assert machine.decide(Door.SHUT, Act.PUSH, Facts()).target is Door.OPEN
    assert machine.initial is Door.SHUT


def test_a_refusal_row_refuses_with_its_code_and_keeps_status_and_action():
    with pytest.raises(MoveRefused) as refused:
        _machine().decide(Door.SHUT, Act.PUSH, Facts(locked=True))
    assert refused.value.refusal is not None
    assert refused.value.refusal.code == "door_locked"
    assert (refused.value.status, refused.value.action) == (Door.SHUT, Act.PUSH)


def test_an_action_with_no_row_is_refused_without_a_refusal_row():
    with pytest.raises(MoveRefused) as refused:
        _machine().decide(Door.OPEN, Act.PUSH, Facts())
    assert refused.value.refusal is None


def test_decisions_are_remembered_and_stay_the_same():
    machine = _machine()
    first = machine.decide(Door.SHUT, Act.PUSH, Facts(strength="strong"))
    assert machine.decide(Door.SHUT, Act.PUSH, Facts(strength="strong")) is first


def test_check_decisions_asks_every_status_action_and_facts():
    # (None, build), (shut, push), (shut, burn), (open, burn): 4 pairs x 4 facts
    assert _machine().check_decisions() == 16


def test_overlapping_guards_are_found():
    rows = (
        Row(None, Act.BUILD, Door.SHUT, (), ALWAYS, "built"),
        Row(Door.SHUT, Act.PUSH, Door.OPEN, (), ALWAYS, "opens"),
        Row(Door.SHUT, Act.PUSH, Door.GONE, (), UNLOCKED, "falls"),
        Row(Door.OPEN, Act.BURN, Door.GONE, (), ALWAYS, "burns"),
    )
    with pytest.raises(MachineDefinitionError, match="more than one row"):
        _machine(rows, refusals=()).check_decisions()


def test_a_gap_in_the_guards_is_found():
    with pytest.raises(MachineDefinitionError, match="no row"):
        _machine(refusals=()).check_decisions()


def test_possible_facts_limit_what_is_checked():
    machine = _machine(refusals=(), possible=lambda status, f: not f.locked)
    assert machine.check_decisions() == 8


@pytest.mark.parametrize("broken", ["no_creation", "terminal_exit", "unreachable",
                                    "dead_end", "duplicate", "unknown_event", "domains"])
def test_a_broken_table_cannot_be_built(broken):
    rows = [
        Row(None, Act.BUILD, Door.SHUT, (), ALWAYS, "built"),
        Row(Door.SHUT, Act.PUSH, Door.OPEN, (), ALWAYS, "opens"),
        Row(Door.OPEN, Act.BURN, Door.GONE, (), ALWAYS, "burns"),
    ]
    domains = DOMAINS
    events = frozenset({"door.opened"})
    if broken == "no_creation":
        rows = rows[1:]
    elif broken == "terminal_exit":
        rows.append(Row(Door.GONE, Act.BUILD, Door.SHUT, (), ALWAYS, "rebuilt"))
    elif broken == "unreachable":
        rows = rows[:2]
    elif broken == "dead_end":
        rows[2] = Row(Door.SHUT, Act.BURN, Door.GONE, (), ALWAYS, "burns")
    elif broken == "duplicate":
        rows.append(rows[-1])
    elif broken == "unknown_event":
        rows[1] = Row(Door.SHUT, Act.PUSH, Door.OPEN, ("door.flew",), ALWAYS, "opens")
    else:
        domains = {"locked": (False, True)}
    with pytest.raises(MachineDefinitionError):
        Machine("door", Door, Act, Facts, domains, rows=rows,
                terminal=frozenset({Door.GONE}), event_types=events)


def test_creation_may_lead_to_several_statuses_by_its_guards():
    shut = Guard("shut", "built shut", lambda f: not f.locked)
    locked = Guard("locked", "built locked", lambda f: f.locked)
    machine = Machine("door", Door, Act, Facts, DOMAINS, rows=(
        Row(None, Act.BUILD, Door.SHUT, (), shut, "built"),
        Row(None, Act.BUILD, Door.OPEN, (), locked, "built open"),
        Row(Door.SHUT, Act.PUSH, Door.OPEN, (), ALWAYS, "opens"),
        Row(Door.OPEN, Act.BURN, Door.GONE, (), ALWAYS, "burns"),
    ), terminal=frozenset({Door.GONE}), event_types=frozenset())
    assert machine.initial_statuses == {Door.SHUT, Door.OPEN}
    assert machine.decide(None, Act.BUILD, Facts(locked=True)).target is Door.OPEN
    assert machine.entry_statuses() == {Door.SHUT, Door.OPEN, Door.GONE}


def test_queries_read_the_rows():
    machine = _machine()
    assert machine.allowed_actions(Door.SHUT) == (Act.PUSH, Act.BURN)
    assert machine.allows(Door.OPEN, Act.BURN) and not machine.allows(Door.OPEN, Act.PUSH)
    assert machine.sources_of(Act.BURN) == (Door.SHUT, Door.OPEN)
    assert machine.find(Door.SHUT, Act.PUSH, Door.OPEN) is machine.rows[1]
    assert machine.find(Door.OPEN, Act.PUSH, Door.SHUT) is None
    assert [r.target for r in machine.rows_from(None)] == [Door.SHUT]
    assert machine.rows[1].condition == "the door is not locked"


def test_limits_travel_with_the_machine():
    machine = _machine(limits={"pushes": Limit(3, "three pushes", "https://example.test")})
    assert machine.limits["pushes"].value == 3


def test_a_main_path_must_follow_the_rows():
    assert _machine(main_path=(Door.SHUT, Door.OPEN, Door.GONE)).main_path == (
        Door.SHUT, Door.OPEN, Door.GONE)
    with pytest.raises(MachineDefinitionError, match="main path steps gone -> open"):
        _machine(main_path=(Door.SHUT, Door.GONE, Door.OPEN))


def test_the_moves_table_says_per_status_what_may_happen_and_where_it_leads():
    table = _machine().moves_table().splitlines()
    assert table[2] == "| (new) | **build** → `shut` |"
    assert table[3] == "| `shut` | **push** → `open`<br>**burn** → `gone` |"
    assert table[-1] == "| `gone` | nothing: it is final |"
