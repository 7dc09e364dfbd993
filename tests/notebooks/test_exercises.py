"""Exercises tell "not attempted" from "wrong", and every checker is tested twice.

Here, without a kernel: each checker accepts its own solution (the very code
``solution()`` shows), rejects its plausible wrong answer, and reads ``____`` as not
attempted. In the notebooks: each exercise is asked, checked, and self-tested by a
hidden cell (nbval runs those cells).
"""

from __future__ import annotations

import re
from types import ModuleType

import nbformat
import pytest

from paykit.exercises import (
    Exercise,
    ExerciseDefinitionError,
    Incorrect,
    NotAttempted,
    Outcome,
    ____,
    call,
    contains_blank,
    exercise_modules,
    expect,
    module_for,
)
from tools.course.navigation import notebook_paths

NOTEBOOKS = notebook_paths()
MODULES = exercise_modules()
ALL = [(module, exercise) for module in MODULES for exercise in module.EXERCISES]
IDS = [f"{module.NOTEBOOK[:2]}-{exercise.name}" for module, exercise in ALL]
FUNCTIONS = [(m, q) for m, q in ALL if callable(q.solution_answer())]


def _exercise(**overrides: object) -> Exercise:
    fields: dict[str, object] = {
        "name": "q1", "title": "Cents", "answer": "amount",
        "checker": lambda a: expect(a == 1099, "$10.99 is 1099 cents"),
        "hints": ("Multiply by 100.", "Cents, not dollars."), "solution": "amount = 1099",
        "wrong": 10.99, "says": "cents", "correct_message": "Right.",
    }
    fields.update(overrides)
    return Exercise(**fields)  # type: ignore[arg-type]


# -- one module per notebook -------------------------------------------------------------


def test_every_notebook_has_its_exercise_module_and_back() -> None:
    assert [m.NOTEBOOK for m in MODULES] == [p.name for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        assert path.name == module_for(path.name).NOTEBOOK


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.NOTEBOOK[:2])
def test_each_notebook_has_at_least_two_exercises(module: ModuleType) -> None:
    assert len(module.EXERCISES) >= 2
    assert [q.name for q in module.EXERCISES] == [f"q{i + 1}"
                                                  for i in range(len(module.EXERCISES))]
    assert all(getattr(module, q.name) is q for q in module.EXERCISES)


# -- every checker against its solution, its wrong answer and the blank ---------------------


@pytest.mark.parametrize(("module", "exercise"), ALL, ids=IDS)
def test_the_checker_accepts_the_solution_it_shows(module: ModuleType,
                                                   exercise: Exercise) -> None:
    feedback = exercise.evaluate(exercise.solution_answer())
    assert feedback.status is Outcome.CORRECT, feedback
    assert feedback.message == exercise.correct_message


@pytest.mark.parametrize(("module", "exercise"), ALL, ids=IDS)
def test_the_checker_rejects_the_plausible_wrong_answer_and_says_why(
        module: ModuleType, exercise: Exercise) -> None:
    feedback = exercise.evaluate(exercise.wrong)
    assert feedback.status is Outcome.INCORRECT, feedback
    assert len(feedback.message) > 20


@pytest.mark.parametrize(("module", "exercise"), ALL, ids=IDS)
def test_the_blank_is_not_attempted_never_wrong(module: ModuleType,
                                                exercise: Exercise) -> None:
    exercise.assert_not_attempted()
    assert exercise.evaluate().status is Outcome.NOT_ATTEMPTED
    assert f"`{exercise.answer}`" in exercise.evaluate(____).message


@pytest.mark.parametrize(("module", "exercise"), FUNCTIONS,
                         ids=[f"{m.NOTEBOOK[:2]}-{q.name}" for m, q in FUNCTIONS])
def test_a_function_still_returning_the_blank_is_not_attempted(
        module: ModuleType, exercise: Exercise) -> None:
    def unfinished(*args: object, **kwargs: object) -> object:
        return ____

    assert exercise.evaluate(unfinished).status is Outcome.NOT_ATTEMPTED


# -- the notebooks ask, check and self-test every exercise ----------------------------------


@pytest.mark.parametrize(("module", "exercise"), ALL, ids=IDS)
def test_the_notebook_asks_checks_and_self_tests_the_exercise(
        module: ModuleType, exercise: Exercise) -> None:
    path = next(p for p in NOTEBOOKS if p.name == module.NOTEBOOK)
    cells = nbformat.read(path, as_version=4).cells
    q = exercise.name
    assert any(c.cell_type == "code" and "import" in c.source and module.__name__ in c.source
               and re.search(rf"\b{q}\b", c.source) for c in cells)
    asked = [c for c in cells if c.cell_type == "code" and f"{q}.check(" in c.source]
    assert len(asked) == 1
    assert "____" in asked[0].source, "the committed notebook leaves the answer blank"
    (shown,) = [o for o in asked[0].outputs if o.output_type == "display_data"]
    assert shown.data["text/plain"].startswith(f"⏳ {q}: not attempted")
    selftests = [c for c in cells if "checker-self-test" in c.metadata.get("tags", [])
                 and f"{q}.assert_check_passed()" in c.source]
    assert len(selftests) == 1
    cell = selftests[0]
    assert f"{q}.assert_check_failed()" in cell.source
    assert f"{q}.assert_not_attempted()" in cell.source
    assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
    assert cell.outputs == []
    assert any(f"# {q}.hint()" in c.source and f"# {q}.solution()" in c.source for c in cells)


# -- every plausible wrong answer gets its own message ------------------------------------------

MISTAKES = [(m, q, wrong, says) for m, q in ALL for wrong, says in q.mistakes]


@pytest.mark.parametrize(("module", "exercise", "wrong", "says"), MISTAKES,
                         ids=[f"{m.NOTEBOOK[:2]}-{q.name}-{i}" for i, (m, q, _, _)
                              in enumerate(MISTAKES)])
def test_each_plausible_wrong_answer_gets_its_specific_message(
        module: ModuleType, exercise: Exercise, wrong: object, says: str) -> None:
    feedback = exercise.evaluate(wrong)
    assert feedback.status is Outcome.INCORRECT
    assert says in feedback.message, feedback.message
    # what is wrong in Stripe's terms, never a Python exception or a generic word
    assert "raised " not in feedback.message and "Traceback" not in feedback.message
    assert not feedback.message.lower().startswith(("not quite", "wrong", "incorrect"))


def test_an_exercise_lists_what_each_wrong_answer_says() -> None:
    assert _exercise().mistakes == ((10.99, "cents"),)
    with pytest.raises(ExerciseDefinitionError, match="says what is wrong"):
        _exercise(mistakes=((1, ""),))


# -- function exercises start from a scaffold --------------------------------------------------


@pytest.mark.parametrize(("module", "exercise"), FUNCTIONS,
                         ids=[f"{m.NOTEBOOK[:2]}-{q.name}" for m, q in FUNCTIONS])
def test_a_function_exercise_starts_from_its_scaffold_which_reads_not_attempted(
        module: ModuleType, exercise: Exercise) -> None:
    path = next(p for p in NOTEBOOKS if p.name == module.NOTEBOOK)
    (asked,) = [c for c in nbformat.read(path, as_version=4).cells
                if c.cell_type == "code" and f"{exercise.name}.check(" in c.source]
    assert asked.source == f"{exercise.scaffold}\n\n{exercise.name}.check({exercise.answer})"
    steps = [line for line in exercise.scaffold.splitlines() if line.strip().startswith("#")]
    assert steps, "the steps are written as comments"
    namespace: dict[str, object] = {"____": ____}
    exec(exercise.scaffold, namespace)  # the course's own code
    assert exercise.evaluate(namespace[exercise.answer]).status is Outcome.NOT_ATTEMPTED


@pytest.mark.parametrize(("scaffold", "problem"), [
    ("", "needs a scaffold"),
    ("def pay(sb):\n    # pay\n    return 1", "leaves blanks"),
    ("def pay(sb):\n    return ____", "in comments"),
    ("def pay(sb)\n    # pay\n    return ____", "does not compile"),
])
def test_a_function_exercise_needs_a_real_scaffold(scaffold: str, problem: str) -> None:
    with pytest.raises(ExerciseDefinitionError, match=problem):
        _exercise(answer="pay", solution="def pay(sb):\n    return 1", wrong=None,
                  scaffold=scaffold)
    with pytest.raises(ExerciseDefinitionError, match="only a function exercise"):
        _exercise(scaffold="def x():\n    # x\n    return ____")


# -- the framework ---------------------------------------------------------------------------


def test_the_placeholder_is_one_object_that_prints_as_four_underscores() -> None:
    from paykit.exercises.core import _Blank

    assert _Blank() is ____
    assert repr(____) == "____" and not ____


@pytest.mark.parametrize(("value", "blank"), [
    (____, True), ("cart-____", True), ({"usd": ____}, True), ([1, (2, ____)], True),
    ({____: 1}, True), (0, False), ("", False), ({"usd": 2500}, False), (None, False),
])
def test_contains_blank_looks_inside_containers_and_text(value: object, blank: bool) -> None:
    assert contains_blank(value) is blank


def test_a_cyclic_answer_is_not_mistaken_for_a_blank() -> None:
    cyclic: list[object] = []
    cyclic.append(cyclic)
    assert contains_blank(cyclic) is False


def test_three_outcomes() -> None:
    q = _exercise()
    assert q.evaluate(1099).status is Outcome.CORRECT
    assert q.evaluate(10.99).status is Outcome.INCORRECT
    assert q.evaluate(10.99).message == "$10.99 is 1099 cents"
    assert q.evaluate(____).status is Outcome.NOT_ATTEMPTED
    assert q.evaluate([____]).status is Outcome.NOT_ATTEMPTED


def test_code_that_raises_is_incorrect_with_the_exception_named() -> None:
    q = _exercise(checker=lambda f: expect(call(f, 2) == 4, "double it"), solution="amount = 1",
                  wrong=lambda x: 1 / 0)
    feedback = q.evaluate(lambda x: 1 / 0)
    assert feedback.status is Outcome.INCORRECT
    assert "ZeroDivisionError" in feedback.message and "(2)" in feedback.message


def test_a_checker_that_breaks_on_an_odd_answer_still_answers_incorrect() -> None:
    q = _exercise(checker=lambda a: expect(a["usd"] == 1, "x"))
    feedback = q.evaluate(42)
    assert feedback.status is Outcome.INCORRECT
    assert "TypeError" in feedback.message


def test_a_stripe_error_is_said_in_stripes_terms_with_the_advice_for_it() -> None:
    import paykit

    def pay(sb: paykit.Sandbox) -> object:
        return sb.payment_intents.create(amount=1, currency="usd")

    with pytest.raises(Incorrect) as caught:
        call(pay, paykit.Sandbox(seed=0))
    assert str(caught.value) == (
        "In `pay(sb)`, Stripe refused a request (invalid_request_error, amount_too_small): "
        "Amount must be at least $0.50 usd.")
    with pytest.raises(Incorrect, match=r"usd\. Send cents\.$"):
        call(pay, paykit.Sandbox(seed=0), explain={"amount_too_small": "Send cents."})
    with pytest.raises(Incorrect, match=r"Use the amount param\.$"):
        call(pay, paykit.Sandbox(seed=0), explain={"amount": "Use the amount param."})


def test_call_reads_a_function_that_uses_the_blank_as_not_attempted() -> None:
    def nested(x: int) -> object:
        def inner() -> object:
            return ____
        return inner

    def unfinished(x: int) -> object:
        value = ____
        return value if x else 0

    with pytest.raises(NotAttempted):
        call(nested, 1)
    with pytest.raises(NotAttempted):
        call(unfinished, 0)
    with pytest.raises(Incorrect, match="should be a function"):
        call(42, 1)


def test_check_prints_outside_a_notebook(capsys: pytest.CaptureFixture[str]) -> None:
    q = _exercise()
    q.check(1099)
    q.check(____)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✅ q1: Right."
    assert out[1].startswith("⏳ q1: not attempted yet. Replace ____ in `amount`")


def test_feedback_renders_escaped_html_for_notebooks() -> None:
    q = _exercise(checker=lambda a: expect(False, f"got {a}"))
    html = q.evaluate("<b>").__class__._repr_html_(q.evaluate("<b>"))
    assert "<b>q1</b>" in html and "got &lt;b&gt;" in html
    assert 'style="color:#b91c1c"' in html


def test_hints_come_one_after_the_other_then_wrap(capsys: pytest.CaptureFixture[str]) -> None:
    q = _exercise()
    q.hint()
    q.hint()
    q.hint()
    q.hint(2)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Hint 1/2 for q1", "Hint 2/2 for q1", "Hint 1/2 for q1", "Hint 2/2 for q1"]
    with pytest.raises(ValueError):
        q.hint(3)


def test_solution_shows_the_code_the_self_test_runs(capsys: pytest.CaptureFixture[str]) -> None:
    q = _exercise()
    q.solution()
    assert capsys.readouterr().out == "Solution to q1:\namount = 1099\n"
    assert q.solution_answer() == 1099


def test_self_test_assertions_fail_on_a_broken_checker() -> None:
    lenient = _exercise(checker=lambda a: None)
    lenient.assert_check_passed()
    with pytest.raises(AssertionError, match="accepts a wrong answer"):
        lenient.assert_check_failed()
    strict = _exercise(checker=lambda a: expect(False, "never"))
    with pytest.raises(AssertionError, match="rejects the solution"):
        strict.assert_check_passed()


@pytest.mark.parametrize(("overrides", "message"), [
    ({"hints": ()}, "hint"),
    ({"answer": "not a name"}, "variable"),
    ({"solution": "amount ="}, "compile"),
    ({"solution": "total = 1099"}, "never assigns"),
    ({"wrong": ____}, "complete"),
])
def test_an_incomplete_exercise_cannot_be_defined(overrides: dict[str, object],
                                                  message: str) -> None:
    with pytest.raises(ExerciseDefinitionError, match=message):
        _exercise(**overrides)


def test_a_solution_that_forgets_its_answer_is_caught_when_run() -> None:
    q = _exercise(solution="if False:\n    amount = 1")
    with pytest.raises(ExerciseDefinitionError, match="never assigns"):
        q.solution_answer()
