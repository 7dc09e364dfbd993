"""The exercise framework: ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

Modelled on Kaggle's learntools: an exercise is declared once, as data (the checker,
the hints, the solution code and a plausible wrong answer), in the module of the
notebook that asks it. The notebook only shows the prompt and calls the exercise.

Three outcomes, never two: an answer still holding the ``____`` placeholder is *not
attempted* (a gentle reminder, not a red cross), a real answer is *correct* or
*incorrect* with a message that says what is wrong and why it matters for a Stripe
integration (each plausible wrong answer is listed with the words its message says, and
tested). Code that raises is incorrect: a refusal of Stripe's is said in its terms.

Every notebook tests its own checkers in a hidden cell::

    q1.assert_check_passed()    # the solution shown by q1.solution() passes
    q1.assert_check_failed()    # the declared plausible wrong answer fails
    q1.assert_not_attempted()   # ____ reads as "not attempted"

>>> q = Exercise(name="q1", title="Smallest unit", answer="amount",
...              checker=lambda a: expect(a == 1099, "$10.99 is 1099 cents"),
...              hints=("Multiply by 100.",), solution="amount = 1099", wrong=10.99,
...              says="1099 cents")
>>> [q.evaluate(answer).status.value for answer in (____, 1099, 10.99)]
['not_attempted', 'correct', 'incorrect']
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import CodeType
from typing import Any, Final

from paykit.errors import StripeError

__all__ = [
    "BLANK_TEXT",
    "Exercise",
    "ExerciseDefinitionError",
    "Feedback",
    "Incorrect",
    "NotAttempted",
    "Outcome",
    "____",
    "call",
    "contains_blank",
    "expect",
    "show",
]

#: How the placeholder prints, and what marks a string answer as unfinished.
BLANK_TEXT: Final = "____"


class _Blank:
    """The ``____`` placeholder: a learner's answer that is not written yet.

    One instance exists. It prints as ``____`` so that an f-string built around it
    (``f"cart-{____}"``) still reads as unfinished.
    """

    _instance: _Blank | None = None

    def __new__(cls) -> _Blank:
        """Always the same object, so ``answer is ____`` works."""
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return BLANK_TEXT

    def __bool__(self) -> bool:
        return False


#: Put this where your answer goes; ``check()`` reads it as "not attempted".
____: Final = _Blank()


class NotAttempted(Exception):
    """The answer (or what the learner's function returned) still holds ``____``."""


class Incorrect(Exception):
    """A checker's verdict: the answer is wrong, and the message says why."""


class ExerciseDefinitionError(Exception):
    """An exercise is declared without what every exercise needs."""


def contains_blank(value: Any, _depth: int = 0) -> bool:
    """Whether ``value`` is, contains or (as text) shows the ``____`` placeholder."""
    if value is ____:
        return True
    if isinstance(value, str):
        return BLANK_TEXT in value
    if _depth > 20:  # a cyclic structure: not an unfinished answer
        return False
    if isinstance(value, Mapping):
        return any(contains_blank(k, _depth + 1) or contains_blank(v, _depth + 1)
                   for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(contains_blank(item, _depth + 1) for item in value)
    return False


def expect(condition: object, message: str) -> None:
    """Checkers state rules with this: a false ``condition`` makes the answer incorrect."""
    if not condition:
        raise Incorrect(message)


def show(value: Any) -> str:
    """A short, stable text for a value in a feedback message (a sandbox is ``sb``, the
    name the exercises give it)."""
    from paykit.sandbox import Sandbox

    if isinstance(value, Sandbox):
        return "sb"
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _mentions_blank(code: CodeType) -> bool:
    """Whether a function's code (or a function nested in it) still uses ``____``."""
    if BLANK_TEXT in code.co_names:
        return True
    return any(isinstance(const, CodeType) and _mentions_blank(const)
               for const in code.co_consts)


def call(function: Any, *args: Any, explain: Mapping[str, str] | None = None,
         **kwargs: Any) -> Any:
    """Call the learner's function the way a checker should.

    A function whose body still uses ``____``, or that returns something holding it:
    not attempted. Not a function: incorrect. Raises: incorrect, naming the call and what
    broke; a refusal of Stripe's in Stripe's terms (its error type, code and message),
    with the advice ``explain`` gives for that code, decline code or parameter.
    """
    if function is ____ or contains_blank(function):
        raise NotAttempted
    code = getattr(function, "__code__", None)
    if isinstance(code, CodeType) and _mentions_blank(code):
        raise NotAttempted
    name = getattr(function, "__name__", "your function")
    if not callable(function):
        raise Incorrect(f"`{name}` should be a function (a `def`), got {show(function)}.")
    shown = ", ".join([*(show(a) for a in args), *(f"{k}={show(v)}" for k, v in kwargs.items())])
    try:
        result = function(*args, **kwargs)
    except NotAttempted:
        raise
    except Incorrect:
        raise
    except StripeError as exc:  # Stripe refused a request: say so in its terms
        codes = [c for c in (exc.code, exc.decline_code) if c]
        advice = next(((explain or {})[key] for key in (*codes, exc.param or "")
                       if key in (explain or {})), "")
        label = ", ".join([exc.type, *dict.fromkeys(codes)])
        said = exc.message if exc.message.endswith(".") else f"{exc.message}."
        raise Incorrect(f"In `{name}({shown})`, Stripe refused a request ({label}): "
                        f"{said}" + (f" {advice}" if advice else "")) from exc
    except Exception as exc:  # the learner's code failed: say how, never crash the check
        raise Incorrect(f"`{name}({shown})` raised {type(exc).__name__}: {exc}") from exc
    if contains_blank(result):
        raise NotAttempted
    return result


class Outcome(StrEnum):
    """What a check concluded."""

    NOT_ATTEMPTED = "not_attempted"
    CORRECT = "correct"
    INCORRECT = "incorrect"


_MARKS = {
    Outcome.NOT_ATTEMPTED: "⏳",
    Outcome.CORRECT: "✅",
    Outcome.INCORRECT: "❌",
}
_CODE_SPAN = re.compile(r"`([^`]+)`")
_COLOURS = {
    Outcome.NOT_ATTEMPTED: "#52606d",
    Outcome.CORRECT: "#15803d",
    Outcome.INCORRECT: "#b91c1c",
}


@dataclass(frozen=True, slots=True)
class Feedback:
    """What a learner sees after ``check()``: text for logs and tests, HTML in notebooks."""

    exercise: str
    status: Outcome
    message: str

    @property
    def correct(self) -> bool:
        """Whether the answer passed."""
        return self.status is Outcome.CORRECT

    def __str__(self) -> str:
        return f"{_MARKS[self.status]} {self.exercise}: {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        message = _CODE_SPAN.sub(r"<code>\1</code>", html.escape(self.message, quote=False))
        return (
            f'<div style="color:{colour}">{_MARKS[self.status]} '
            f"<b>{html.escape(self.exercise)}</b>: {message}</div>"
        )


@dataclass(frozen=True, slots=True)
class _Text:
    """A hint or a solution: plain text for nbval, Markdown for the learner."""

    text: str
    markdown: str

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.markdown


def _display(obj: Any) -> None:
    """Show ``obj`` in a notebook, or print it anywhere else."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # no IPython: a plain script or a test
        print(repr(obj))
        return
    if get_ipython() is None:
        print(repr(obj))
    else:
        display(obj)


def _check_scaffold(name: str, answer: str, scaffold: str) -> None:
    """A scaffold defines the answer's function, leaves blanks, and names its steps."""
    if f"def {answer}(" not in scaffold:
        raise ExerciseDefinitionError(f"{name}: a function exercise needs a scaffold "
                                      f"that defines {answer}()")
    try:
        compile(scaffold, f"<{name} scaffold>", "exec")
    except SyntaxError as exc:
        raise ExerciseDefinitionError(f"{name}: the scaffold does not compile") from exc
    if "____" not in scaffold or "# " not in scaffold:
        raise ExerciseDefinitionError(f"{name}: a scaffold leaves blanks (____) and says "
                                      "its steps in comments")


class Exercise:
    """One exercise: a checker, hints, solution code and a plausible wrong answer.

    ``checker(answer)`` returns normally when the answer is right and raises
    ``Incorrect`` (use ``expect``) when it is not; it may raise ``NotAttempted`` (``call``
    does) for a function that still returns ``____``. ``solution`` is the code shown by
    ``solution()``; it must assign the variable ``answer`` names, and
    ``assert_check_passed`` runs that very code, so the shown solution is the tested one.
    ``wrong`` is a mistake learners really make; ``assert_check_failed`` checks the
    checker catches it, with a message that ``says`` those words; ``mistakes`` are more
    plausible wrong answers, each with the words its message says (what is wrong, in
    Stripe's terms: tests check each one). ``scaffold`` is what the notebook gives the
    learner to start a
    function exercise from: the signature, the steps as comments, ``____`` where the
    thinking is (a function exercise must have one; as given, it reads "not attempted").
    """

    def __init__(
        self,
        *,
        name: str,
        title: str,
        answer: str,
        checker: Callable[[Any], None],
        hints: Sequence[str],
        solution: str,
        wrong: Any,
        says: str,
        correct_message: str = "Correct.",
        scaffold: str = "",
        mistakes: Sequence[tuple[Any, str]] = (),
    ) -> None:
        if not hints:
            raise ExerciseDefinitionError(f"{name}: at least one hint")
        if not answer.isidentifier():
            raise ExerciseDefinitionError(f"{name}: answer must name a variable")
        try:
            compile(solution, f"<{name} solution>", "exec")
        except SyntaxError as exc:
            raise ExerciseDefinitionError(f"{name}: the solution does not compile") from exc
        if answer not in solution:
            raise ExerciseDefinitionError(f"{name}: the solution never assigns {answer!r}")
        if contains_blank(wrong) or contains_blank(solution):
            raise ExerciseDefinitionError(f"{name}: solution and wrong answer are complete")
        if f"def {answer}(" in solution:
            _check_scaffold(name, answer, scaffold)
        elif scaffold:
            raise ExerciseDefinitionError(f"{name}: only a function exercise has a scaffold")
        self.name = name
        self.title = title
        self.answer = answer
        self.hints = tuple(hints)
        self.solution_code = solution.strip("\n")
        self.wrong = wrong
        #: every plausible wrong answer, with the words its message says
        self.mistakes: tuple[tuple[Any, str], ...] = ((wrong, says), *mistakes)
        if not all(isinstance(words, str) and words for _, words in self.mistakes):
            raise ExerciseDefinitionError(f"{name}: each wrong answer says what is wrong")
        self.correct_message = correct_message
        self.scaffold = scaffold.strip("\n")
        self._checker = checker
        self._next_hint = 0

    def __repr__(self) -> str:
        return f"<Exercise {self.name}: {self.title}>"

    # -- what the learner calls --------------------------------------------------------

    def evaluate(self, answer: Any = ____) -> Feedback:
        """The verdict on ``answer``, without showing it (used by tests and self-tests)."""
        if contains_blank(answer):
            return self._not_attempted()
        try:
            self._checker(answer)
        except NotAttempted:
            return self._not_attempted()
        except Incorrect as wrong:
            return Feedback(self.name, Outcome.INCORRECT, str(wrong))
        except Exception as exc:  # the answer broke the checker: still the learner's error
            return Feedback(self.name, Outcome.INCORRECT,
                            f"checking your answer raised {type(exc).__name__}: {exc}")
        return Feedback(self.name, Outcome.CORRECT, self.correct_message)

    def check(self, answer: Any = ____) -> None:
        """Show whether ``answer`` is correct, incorrect, or not attempted yet."""
        _display(self.evaluate(answer))

    def hint(self, n: int | None = None) -> None:
        """Show hint ``n`` (1-based), or the next one each time it is called."""
        if n is None:
            index = self._next_hint
            self._next_hint = (self._next_hint + 1) % len(self.hints)
        else:
            if not 1 <= n <= len(self.hints):
                raise ValueError(f"{self.name} has hints 1 to {len(self.hints)}")
            index = n - 1
        label = f"Hint {index + 1}/{len(self.hints)} for {self.name}"
        text = self.hints[index]
        _display(_Text(f"{label}: {text}", f"💡 **{label}:** {text}"))

    def solution(self) -> None:
        """Show the solution code (the very code the self-test runs)."""
        _display(_Text(
            f"Solution to {self.name}:\n{self.solution_code}",
            f"**Solution to {self.name}:**\n\n```python\n{self.solution_code}\n```",
        ))

    # -- what the notebook's hidden self-test cells call ----------------------------------

    def solution_answer(self) -> Any:
        """Run the solution code in a fresh namespace and return the answer it assigns."""
        namespace: dict[str, Any] = {"__name__": f"paykit_solution_{self.name}"}
        exec(compile(self.solution_code, f"<{self.name} solution>", "exec"), namespace)
        if self.answer not in namespace:
            raise ExerciseDefinitionError(f"{self.name}: the solution never assigns "
                                          f"{self.answer!r}")
        return namespace[self.answer]

    def assert_check_passed(self, answer: Any = None) -> None:
        """The checker accepts the solution (or ``answer``); raise ``AssertionError`` if not."""
        value = self.solution_answer() if answer is None else answer
        feedback = self.evaluate(value)
        if not feedback.correct:
            raise AssertionError(f"{self.name}: the checker rejects the solution: {feedback}")

    def assert_check_failed(self, answer: Any = None) -> None:
        """The checker rejects the plausible wrong answer (or ``answer``) as incorrect."""
        value = self.wrong if answer is None else answer
        feedback = self.evaluate(value)
        if feedback.status is not Outcome.INCORRECT:
            raise AssertionError(f"{self.name}: the checker accepts a wrong answer "
                                 f"{show(value)}: {feedback}")

    def assert_not_attempted(self) -> None:
        """``____`` reads as not attempted, never as wrong."""
        feedback = self.evaluate(____)
        if feedback.status is not Outcome.NOT_ATTEMPTED:
            raise AssertionError(f"{self.name}: ____ is not read as 'not attempted'")

    # -- internals ---------------------------------------------------------------------

    def _not_attempted(self) -> Feedback:
        """A reminder, not a verdict: the answer still holds ``____``."""
        return Feedback(
            self.name, Outcome.NOT_ATTEMPTED,
            f"not attempted yet. Replace {BLANK_TEXT} in `{self.answer}` with your answer "
            f"and run the cell again. Stuck? `{self.name}.hint()` gives a hint, "
            f"`{self.name}.solution()` the answer.",
        )
