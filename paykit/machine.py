"""How paykit declares a Stripe object's lifecycle: a table that decides.

A :class:`Machine` is data: the object's statuses, the actions that move it, and rows.
Each :class:`Row` reads as a sentence of Stripe's docs: from ``source``, ``action``
leads to ``target`` and emits ``events``, *when* its named :class:`Guard` holds over
the facts of the attempt (the payment method's kind, what the bank answers,
``capture_method``, attempts so far against a limit, ...). A :class:`Refusal` row says
when the same action is refused instead, with the error Stripe returns.

The engine never picks a target status itself: it gathers the facts, asks
:meth:`Machine.decide`, and applies the one row it gets back (its ``effect`` names
what the resource does, its ``events`` what the account emits). A refused move raises
:class:`MoveRefused`, which keeps the status and the action it was refused in.

A machine is checked when it is built, so a broken table cannot be imported: exactly
creation row, nothing leaves a terminal status, every status is reachable, every
non-terminal status has an exit, every event is a real Stripe event type, and no
``(source, action, target)`` appears twice. :meth:`Machine.check_decisions` proves the
stronger property the tests run: for every status, action and combination of facts,
exactly one row (or one refusal) applies.

>>> from enum import StrEnum
>>> from typing import NamedTuple
>>> class Light(StrEnum):
...     OFF = "off"
...     ON = "on"
>>> class Press(StrEnum):
...     CREATE = "create"
...     PRESS = "press"
>>> class Power(NamedTuple):
...     mains: bool = True
>>> powered = Guard("powered", "the mains are on", lambda f: f.mains)
>>> cut = Guard("cut", "the mains are off", lambda f: not f.mains)
>>> machine = Machine(
...     "light", Light, Press, Power, {"mains": (True, False)},
...     rows=(Row(None, Press.CREATE, Light.OFF, (), ALWAYS, "a new light is off"),
...           Row(Light.OFF, Press.PRESS, Light.ON, (), powered, "it lights up")),
...     refusals=(Refusal(Light.OFF, Press.PRESS, cut, "no_power", "No power."),),
...     terminal=frozenset({Light.ON}), event_types=frozenset())
>>> machine.decide(Light.OFF, Press.PRESS, Power(mains=True)).target
<Light.ON: 'on'>
>>> machine.decide(Light.OFF, Press.PRESS, Power(mains=False))
Traceback (most recent call last):
...
paykit.machine.MoveRefused: press refused in off: no_power
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Generic, NamedTuple, TypeVar

__all__ = [
    "ALWAYS",
    "Guard",
    "Limit",
    "Machine",
    "MachineDefinitionError",
    "MoveRefused",
    "Refusal",
    "Row",
]

_S = TypeVar("_S", bound=StrEnum)
_A = TypeVar("_A", bound=StrEnum)
_F = TypeVar("_F", bound=tuple[Any, ...])


@dataclass(frozen=True, slots=True)
class Guard:
    """A named condition over the facts of an attempt; ``when`` is its sentence."""

    name: str
    when: str
    holds: Callable[[Any], bool] = field(repr=False, compare=False)

    def __call__(self, facts: Any) -> bool:
        return self.holds(facts)


#: The guard of a row that always applies (the only row for its status and action).
ALWAYS = Guard("always", "always", lambda _facts: True)


@dataclass(frozen=True, slots=True)
class Row:
    """``source --action--> target``: its events, when it applies, and its source.

    ``source`` is ``None`` only for creation. ``events`` are in the order a real
    account emits them. ``effect`` names what the resource does when this row is
    chosen (make a charge, release an authorisation, ...); ``sets`` are fields the
    move sets on the object (``cancellation_reason`` of an automatic cancel).
    """

    source: Any
    action: Any
    target: Any
    events: tuple[str, ...]
    guard: Guard
    note: str
    url: str = ""
    effect: str = ""
    sets: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: who performs ``action``: the API caller, the customer, or Stripe
    trigger: Any = None

    @property
    def condition(self) -> str:
        """When this row (and not a sibling) applies, in words."""
        return self.guard.when


@dataclass(frozen=True, slots=True)
class Refusal:
    """When ``action`` is refused in ``source``: the Stripe error it answers.

    An empty ``message`` means the object's usual "unexpected state" message.
    """

    source: Any
    action: Any
    guard: Guard
    code: str
    message: str = ""
    param: str | None = None
    url: str = ""


@dataclass(frozen=True, slots=True)
class Limit:
    """A number the rows cite (a capture window, a count of attempts), with its source."""

    value: int
    meaning: str
    url: str


class MachineDefinitionError(Exception):
    """The table breaks a rule every Stripe lifecycle must keep."""


class MoveRefused(Exception):
    """``action`` is not possible in ``status``: by a refusal row, or by no row at all."""

    def __init__(self, status: Any, action: Any, refusal: Refusal | None) -> None:
        self.status = status
        self.action = action
        self.refusal = refusal
        code = refusal.code if refusal else "no row"
        super().__init__(f"{action} refused in {status}: {code}")


class _Decision(NamedTuple):
    row: Row | None
    refusal: Refusal | None


class Machine(Generic[_S, _A, _F]):
    """One object's lifecycle: statuses, actions, rows, refusals, the facts they read.

    ``facts`` is a ``NamedTuple`` class whose defaults describe a plain attempt;
    ``domains`` lists every value each fact can take, which is what lets the tests
    (``check_decisions``) prove that the guards never overlap and never leave a gap.
    ``possible(status, facts)`` says which facts can hold in a status at all (a payment
    method is attached once a payment is under way): the check skips the others.
    """

    def __init__(
        self,
        name: str,
        statuses: type[_S],
        actions: type[_A],
        facts: type[_F],
        domains: Mapping[str, Sequence[Any]],
        *,
        rows: Sequence[Row],
        refusals: Sequence[Refusal] = (),
        terminal: frozenset[_S],
        event_types: frozenset[str] | None,
        limits: Mapping[str, Limit] | None = None,
        possible: Callable[[Any, Any], bool] | None = None,
        title: str = "",
        aliases: Mapping[str, tuple[str, _S]] | None = None,
        main_path: Sequence[_S] = (),
    ) -> None:
        self.name = name
        #: the statuses of the way the docs tell the story (the graph draws it straight,
        #: the other moves lighter); each step must be a row of the table
        self.main_path: tuple[_S, ...] = tuple(main_path)
        #: how the docs name the object ("PaymentIntent"): graphs and tables say it
        self.title = title or name
        #: older wire names: ``{old name: (first API version without it, status)}``
        self.aliases = MappingProxyType(dict(aliases or {}))
        self.statuses = statuses
        self.actions = actions
        self.facts = facts
        self.domains = MappingProxyType(dict(domains))
        self.rows: tuple[Row, ...] = tuple(rows)
        self.refusals: tuple[Refusal, ...] = tuple(refusals)
        self.terminal = terminal
        self.limits = MappingProxyType(dict(limits or {}))
        self.possible = possible or (lambda _status, _facts: True)
        self._check_structure(event_types)
        #: where creation leads: one status for most objects (a PaymentIntent); a
        #: refund is created pending, succeeded or requires_action, as its method says
        self.initial_statuses: frozenset[_S] = frozenset(
            r.target for r in self.rows if r.source is None)
        self.initial: _S = next(r.target for r in self.rows if r.source is None)
        self._from: dict[Any, tuple[Row, ...]] = {
            source: tuple(r for r in self.rows if r.source == source)
            for source in (None, *statuses)
        }
        self._candidates: dict[tuple[Any, Any], tuple[Row | Refusal, ...]] = {}
        items: tuple[Row | Refusal, ...] = (*self.rows, *self.refusals)
        for item in items:
            key = (item.source, item.action)
            self._candidates[key] = (*self._candidates.get(key, ()), item)
        self._by_key = {(r.source, r.action, r.target): r for r in self.rows}
        # Decisions remembered by status and action *values*: an Enum member's hash is
        # a Python-level call, a string's is cached (measured: ~10 % of create + confirm).
        self._decided: dict[str | None, dict[str, dict[_F, _Decision]]] = {
            None if status is None else status._value_: {a._value_: {} for a in actions}
            for status in (None, *statuses)
        }
        self._allowed_values = {status._value_: frozenset(r.action._value_
                                                          for r in self._from[status])
                                for status in statuses}

    # -- asking the table ---------------------------------------------------------------

    def decide(self, status: _S | None, action: _A, facts: _F) -> Row:
        """The one row that applies; :class:`MoveRefused` if the move is not possible.

        Decisions are remembered per ``(status, action, facts)``: the fact domains are
        finite, so after the first attempt of a kind this is one dictionary lookup.
        """
        remembered = self._decided[None if status is None else status._value_][action._value_]
        decision = remembered.get(facts)
        if decision is None:
            decision = remembered[facts] = self._evaluate(status, action, facts)
        if decision.row is None:
            raise MoveRefused(status, action, decision.refusal)
        return decision.row

    def _evaluate(self, status: _S | None, action: _A, facts: _F) -> _Decision:
        candidates = self._candidates.get((status, action), ())
        if not candidates:
            return _Decision(None, None)
        matched = [c for c in candidates if c.guard(facts)]
        if len(matched) != 1:
            what = "more than one row" if matched else "no row"
            raise MachineDefinitionError(
                f"{self.name}: {what} applies to {action} in {status} for {facts}: "
                f"{[getattr(m, 'target', getattr(m, 'code', None)) for m in matched]}")
        only = matched[0]
        if isinstance(only, Refusal):
            return _Decision(None, only)
        return _Decision(only, None)

    def allows(self, status: _S, action: _A) -> bool:
        """Whether any row moves ``status`` by ``action`` (under some facts)."""
        return action._value_ in self._allowed_values[status._value_]

    def allowed_actions(self, status: _S) -> tuple[_A, ...]:
        """The actions with a row from ``status``, in table order, without repeats."""
        return tuple(dict.fromkeys(r.action for r in self._from[status]))

    def rows_from(self, status: _S | None) -> tuple[Row, ...]:
        """Every row leaving ``status`` (``None``: the creation rows)."""
        return self._from[status]

    def sources_of(self, action: _A) -> tuple[_S, ...]:
        """The statuses ``action`` can leave, in table order."""
        return tuple(dict.fromkeys(r.source for r in self.rows
                                   if r.action == action and r.source is not None))

    def find(self, source: _S | None, action: _A, target: _S) -> Row | None:
        """The row for this move, or ``None`` when the table has no such row."""
        return self._by_key.get((source, action, target))

    def can_move(self, source: _S, target: _S) -> bool:
        """Whether any row moves ``source`` straight to ``target``."""
        return any(r.target == target for r in self._from[source])

    def entry_statuses(self) -> frozenset[_S]:
        """Statuses an object can show in its first event: where creation leads, and the
        statuses silent rows (rows without events) lead to from there in the same call."""
        found = set(self.initial_statuses)
        frontier = list(found)
        while frontier:
            for r in self._from[frontier.pop()]:
                if not r.events and r.target not in found:
                    found.add(r.target)
                    frontier.append(r.target)
        return frozenset(found)

    # -- names on the wire -------------------------------------------------------------------

    def parse(self, name: str) -> _S:
        """A status from its wire name, current or older (``ValueError`` otherwise)."""
        if name in self.aliases:
            return self.aliases[name][1]
        try:
            return self.statuses(name)
        except ValueError:
            names = ", ".join(s.value for s in self.statuses)
            raise ValueError(f"unknown {self.title} status {name!r}; one of: {names}") from None

    def show(self, status: _S | str, api_version: str | None = None) -> str:
        """The name ``api_version`` gives ``status`` on the wire (an older name before
        the version that renamed it)."""
        status = self.statuses(status)
        if api_version:
            for old, (renamed_in, target) in self.aliases.items():
                if target == status and api_version[:10] < renamed_in:
                    return old
        return status.value

    def moves_table(self, api_version: str | None = None) -> str:
        """The table as a learner reads it first, one line per status: each action that
        may happen next, who does it, and where it may lead (``markdown_table`` has every
        row, with its events, condition and source).

        >>> from paykit.refund_lifecycle import REFUND
        >>> REFUND.moves_table().splitlines()[3]
        '| `pending` | **settle** (stripe) → `succeeded` |'
        """
        lines = ["| status | what may happen next → where it leads |", "|---|---|"]
        for status in (None, *self.statuses):
            targets: dict[Any, dict[Any, None]] = {}
            for r in self._from[status]:
                targets.setdefault(r.action, {})[r.target] = None
            moves = "<br>".join(
                f"**{action}**" + (f" ({trigger})" if (trigger := self._trigger(status, action))
                                   else "")
                + " → " + ", ".join(f"`{self.show(s, api_version)}`" for s in self.statuses
                                    if s in reached)
                for action, reached in targets.items()) or "nothing: it is final"
            name = "(new)" if status is None else f"`{self.show(status, api_version)}`"
            lines.append(f"| {name} | {moves} |")
        return "\n".join(lines)

    def _trigger(self, status: Any, action: Any) -> Any:
        """Who makes ``action`` from ``status`` (the first row's trigger)."""
        return next((r.trigger for r in self._from[status] if r.action == action), None)

    def markdown_table(self, api_version: str | None = None) -> str:
        """The table as Markdown, for the docs and the notebooks: every row with its
        events, its condition and the docs page it comes from."""
        lines = ["| from | action | to | events | when | source |",
                 "|---|---|---|---|---|---|"]
        for r in self.rows:
            source = "(new)" if r.source is None else f"`{self.show(r.source, api_version)}`"
            events = ", ".join(f"`{e}`" for e in r.events) or "none"
            who = f" ({r.trigger})" if r.trigger is not None else ""
            lines.append(f"| {source} | {r.action}{who} | `{self.show(r.target, api_version)}` "
                         f"| {events} | {r.condition} | [{r.note}]({r.url}) |")
        return "\n".join(lines)

    # -- proving the table ----------------------------------------------------------------

    def every_facts(self) -> Iterator[_F]:
        """Every combination of the facts' values (what ``check_decisions`` walks)."""
        names = self.facts._fields  # type: ignore[attr-defined]
        for values in itertools.product(*(self.domains[name] for name in names)):
            yield self.facts(*values)

    def check_decisions(self) -> int:
        """Ask the table about every status, action and facts; count the questions.

        Raises :class:`MachineDefinitionError` where two rows apply at once, or where a
        status has rows for an action but none (and no refusal) for some facts.
        """
        asked = 0
        for source in (None, *self.statuses):
            for action in self.actions:
                if (source, action) not in self._candidates:
                    continue
                for facts in self.every_facts():
                    if not self.possible(source, facts):
                        continue
                    self._evaluate(source, action, facts)
                    asked += 1
        return asked

    def _check_structure(self, event_types: frozenset[str] | None) -> None:
        rows = self.rows
        moves = {(r.source, r.target) for r in rows}
        for step in zip(self.main_path, self.main_path[1:], strict=False):
            if step not in moves:
                raise MachineDefinitionError(
                    f"{self.name}: the main path steps {step[0]} -> {step[1]}, which no "
                    "row makes")
        initial = {r.target for r in rows if r.source is None}
        if not initial:
            raise MachineDefinitionError(f"{self.name}: no creation row (source None)")
        keys = [(r.source, r.action, r.target) for r in rows]
        if len(keys) != len(set(keys)):
            raise MachineDefinitionError(
                f"{self.name}: a (source, action, target) row appears twice")
        names = set(self.facts._fields)  # type: ignore[attr-defined]
        if set(self.domains) != names:
            raise MachineDefinitionError(
                f"{self.name}: every fact needs its domain: {sorted(names ^ set(self.domains))}")
        for exit_ in rows:  # a refusal in a terminal status says why nothing leaves it
            if exit_.source in self.terminal:
                raise MachineDefinitionError(
                    f"{self.name}: {exit_.source} is terminal but has an exit: {exit_}")
        for r in rows:
            unknown = set(r.events) - event_types if event_types is not None else set()
            if unknown:
                raise MachineDefinitionError(
                    f"{self.name}: not Stripe event types: {sorted(unknown)}")
        reached = set(initial)
        frontier = list(initial)
        while frontier:
            status = frontier.pop()
            for r in rows:
                if r.source == status and r.target not in reached:
                    reached.add(r.target)
                    frontier.append(r.target)
        missing = set(self.statuses) - reached
        if missing:
            raise MachineDefinitionError(
                f"{self.name}: unreachable statuses: {sorted(missing)}")
        for status in set(self.statuses) - self.terminal:
            if not any(r.source == status for r in rows):
                raise MachineDefinitionError(
                    f"{self.name}: {status} is not terminal but has no exit")

    def __repr__(self) -> str:
        return (f"<Machine {self.name}: {len(self.statuses)} statuses, "
                f"{len(self.rows)} rows, {len(self.refusals)} refusals>")
