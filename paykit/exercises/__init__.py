"""Exercises for the notebook course, one module per notebook.

A notebook ``notebooks/NN_name.ipynb`` asks the exercises of ``paykit.exercises.exNN_name``;
that module names its notebook in ``NOTEBOOK`` and lists its exercises in ``EXERCISES``.
Each exercise is a ``paykit.exercises.core.Exercise``: ``q1.check(answer)``,
``q1.hint()``, ``q1.solution()``; an answer still holding ``____`` is "not attempted".

>>> from paykit.exercises import ____, exercise_modules
>>> [m.NOTEBOOK for m in exercise_modules()][:2]
['00_start_here.ipynb', '01_creating_a_payment_intent.ipynb']
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from paykit.exercises.core import (
    BLANK_TEXT,
    Exercise,
    ExerciseDefinitionError,
    Feedback,
    Incorrect,
    NotAttempted,
    Outcome,
    ____,
    call,
    contains_blank,
    expect,
)

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
    "exercise_modules",
    "expect",
    "module_for",
]


def exercise_modules() -> list[ModuleType]:
    """Every ``exNN_…`` module, in notebook order (imported on demand, not at import)."""
    names = sorted(info.name for info in pkgutil.iter_modules(__path__)
                   if info.name.startswith("ex") and info.name[2:4].isdigit())
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def module_for(notebook: str) -> ModuleType:
    """The exercise module of a notebook file name (``"05_the_lifecycle.ipynb"``)."""
    stem = notebook.removesuffix(".ipynb")
    return importlib.import_module(f"{__name__}.ex{stem}")
