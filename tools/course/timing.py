"""How long a notebook takes a careful learner, by one stated method a test applies.

The method (calibrated on the course as a careful learner went through it: 3.5 to 4.5
hours in all, about 45 minutes for the lifecycle notebook, now notebooks 05 and 06,
before the appendix took its tables):

- reading: ``WORDS_PER_MINUTE`` words of Markdown a minute (technical English, with
  code names and quotes), generated navigation and map left out;
- running: ``MINUTES_PER_CODE_CELL`` for each code cell the learner runs and reads the
  output of (not the exercise plumbing: imports, checks, hints, self-tests);
- exercises: ``EXERCISE_MINUTES`` for each, plus ``MINUTES_PER_SOLUTION_LINE`` for each
  line of its solution (a 10-line function takes longer than a number).

The total is rounded up to 5 minutes. ``tools.course.navigation`` writes it into each
notebook's goals ("About N minutes") and into the course map.

>>> round_up(21.2), round_up(25)
(25, 25)
"""

from __future__ import annotations

import math
import re
from types import ModuleType

from nbformat import NotebookNode

__all__ = ["EXERCISE_MINUTES", "MAX_NOTEBOOK_MINUTES", "MINUTES_PER_CODE_CELL",
           "MINUTES_PER_SOLUTION_LINE", "WORDS_PER_MINUTE", "notebook_minutes", "round_up"]

WORDS_PER_MINUTE = 200
MINUTES_PER_CODE_CELL = 0.75
EXERCISE_MINUTES = 2.0
MINUTES_PER_SOLUTION_LINE = 0.75
#: One sitting: a notebook longer than this is split where it naturally splits.
MAX_NOTEBOOK_MINUTES = 30

_WORD = re.compile(r"[\w’'-]+")
# Cells the learner does not read as course text: generated, or exercise plumbing.
_SKIPPED_TAGS = frozenset({"course-navigation", "course-map", "checker-self-test"})


def round_up(minutes: float) -> int:
    """To the next multiple of 5 minutes."""
    return int(math.ceil(minutes / 5) * 5)


def notebook_minutes(notebook: NotebookNode, exercises: ModuleType | None) -> int:
    """The time ``notebook`` takes by the method above (``exercises``: its module)."""
    words = code = 0
    for cell in notebook.cells:
        if _SKIPPED_TAGS & set(cell.metadata.get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            words += len(_WORD.findall(cell.source))
        elif cell.cell_type == "code" and not _exercise_plumbing(cell.source):
            code += 1
    solving = sum(EXERCISE_MINUTES + MINUTES_PER_SOLUTION_LINE
                  * len(q.solution_code.splitlines())
                  for q in (exercises.EXERCISES if exercises is not None else ()))
    return round_up(words / WORDS_PER_MINUTE + code * MINUTES_PER_CODE_CELL + solving)


def _exercise_plumbing(source: str) -> bool:
    """The exercises' own cells: their import, each question's check and hint cell."""
    return ("paykit.exercises" in source or ".check(" in source
            or source.startswith("# Stuck?"))
