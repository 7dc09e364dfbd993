"""Each notebook states the time the stated method gives (tools.course.timing)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from paykit.exercises import module_for
from tools.course import timing
from tools.course.navigation import course_entries, notebook_paths

NOTEBOOKS = notebook_paths()


def test_the_method_on_a_hand_built_notebook():
    notebook = new_notebook(cells=[
        new_markdown_cell("word " * 400),                        # 2 minutes of reading
        new_code_cell("pi = sb.payment_intents.create()"),       # 0.75 to run and read
        new_code_cell("from paykit.exercises.ex00 import q1"),   # plumbing: not counted
        new_code_cell("q1.check(answer)"),
        new_markdown_cell("nav " * 1000, metadata={"tags": ["course-navigation"]}),
    ])
    exercise = SimpleNamespace(solution_code="def f():\n    return 1")  # 2 + 2 * 0.75
    module = SimpleNamespace(EXERCISES=[exercise])
    assert timing.notebook_minutes(notebook, module) == timing.round_up(2 + 0.75 + 3.5)
    assert timing.notebook_minutes(notebook, None) == 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_states_the_time_of_the_method(path):
    notebook = nbformat.read(path, as_version=4)
    (goals,) = [c for c in notebook.cells if "learning-goals" in c.metadata.get("tags", [])]
    stated = int(re.search(r"About (\d+) minutes\.", goals.source)[1])
    assert stated == timing.notebook_minutes(notebook, module_for(path.name))


def test_the_map_states_each_time_and_the_total():
    entries = course_entries(NOTEBOOKS)
    start = nbformat.read(NOTEBOOKS[0], as_version=4)
    (course_map,) = [c for c in start.cells if "course-map" in c.metadata.get("tags", [])]
    for entry in entries:
        assert f"| {entry.minutes} min |" in course_map.source
    total = sum(entry.minutes for entry in entries)
    assert f"| all of it | {total // 60} h {total % 60:02d} |" in course_map.source


def test_no_notebook_takes_more_than_half_an_hour():
    """The issue's limit: a learner finishes any notebook in one sitting of 30 minutes."""
    too_long = {entry.filename: entry.minutes for entry in course_entries(NOTEBOOKS)
                if entry.minutes > timing.MAX_NOTEBOOK_MINUTES}
    assert too_long == {}
