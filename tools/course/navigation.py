"""The course's map and each notebook's prev / contents / next links, made from the files.

Like the Python Data Science Handbook, nothing here is typed by hand: the notebooks are
the files ``notebooks/NN_name.ipynb``, in number order; a notebook's title is its first
cell (``# NN · Title``) and its goals the bullets of the cell tagged ``learning-goals``.
From those this module writes:

- a navigation cell (tag ``course-navigation``) right after the title and another as
  the last cell of every notebook;
- the map of the course (tag ``course-map``) in notebook 00 (where each point of
  Stripe's pages is taught is in the appendix: ``tools.course.appendix``).

``python -m tools.course.build`` applies it; ``stale`` says which notebooks are out of
date (the tests assert none is).

>>> navigation_line([NotebookEntry("00", "00_a.ipynb", "A", ()),
...                  NotebookEntry("01", "01_b.ipynb", "B", ())], 1)
'[< 00 · A](00_a.ipynb) | [Contents](00_a.ipynb#The-map-of-the-course) | end of the course'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import nbformat
from nbformat import NotebookNode

from paykit.exercises import module_for
from tools.course.coverage import heading_anchor
from tools.course.timing import notebook_minutes

__all__ = [
    "MAP_HEADING",
    "NOTEBOOK_NAME",
    "TAG_GOALS",
    "TAG_MAP",
    "TAG_NAVIGATION",
    "CourseError",
    "NotebookEntry",
    "apply_navigation",
    "course_entries",
    "default_notebooks_dir",
    "map_markdown",
    "navigation_line",
    "notebook_paths",
    "read_entry",
    "stale",
]

TAG_NAVIGATION = "course-navigation"
TAG_MAP = "course-map"
TAG_GOALS = "learning-goals"
#: The heading of the section of notebook 00 that holds the map ("Contents" links to it).
MAP_HEADING = "The map of the course"
#: What a course notebook's file name looks like: two digits, then a lowercase name.
NOTEBOOK_NAME = re.compile(r"^(?P<number>\d{2})_[a-z0-9_]+\.ipynb$")
_ABOUT = re.compile(r"About \d+ minutes\.")
_TITLE = re.compile(r"^#\s+(?P<number>\d{2})\s+·\s+(?P<title>.+?)\s*$")
_NAV_IDS = ("course-navigation-top", "course-navigation-bottom")


class CourseError(Exception):
    """A notebook breaks a convention the generated navigation relies on."""


@dataclass(frozen=True, slots=True)
class NotebookEntry:
    """One notebook of the course, as its file says."""

    number: str
    filename: str
    title: str
    goals: tuple[str, ...]
    #: how long it takes, by ``tools.course.timing``'s method
    minutes: int = 0

    @property
    def label(self) -> str:
        """``03 · The lifecycle``: how links name a notebook."""
        return f"{self.number} · {self.title}"


def default_notebooks_dir() -> Path:
    """``notebooks/`` of the checkout this tooling lives in (``tools/course/..``)."""
    return Path(__file__).resolve().parents[2] / "notebooks"


def notebook_paths(directory: Path | None = None) -> list[Path]:
    """The course notebooks in ``directory``, in number order."""
    directory = directory or default_notebooks_dir()
    return sorted(p for p in directory.glob("*.ipynb") if NOTEBOOK_NAME.match(p.name))


def read_entry(path: Path, notebook: NotebookNode | None = None) -> NotebookEntry:
    """A notebook's number, title and learning goals, read from its cells."""
    notebook = notebook if notebook is not None else nbformat.read(path, as_version=4)
    if not notebook.cells or notebook.cells[0].cell_type != "markdown":
        raise CourseError(f"{path.name}: the first cell must be the Markdown title")
    first_line = notebook.cells[0].source.strip().splitlines()[0]
    match = _TITLE.match(first_line)
    number = NOTEBOOK_NAME.match(path.name)
    if match is None or number is None or match["number"] != number["number"]:
        raise CourseError(f"{path.name}: the title must read '# {path.name[:2]} · Title', "
                          f"found {first_line!r}")
    goals_cells = [c for c in notebook.cells if TAG_GOALS in c.metadata.get("tags", [])]
    if len(goals_cells) != 1:
        raise CourseError(f"{path.name}: exactly one cell tagged {TAG_GOALS!r} expected")
    goals = tuple(line[2:].strip() for line in goals_cells[0].source.splitlines()
                  if line.startswith("- "))
    if not goals:
        raise CourseError(f"{path.name}: the learning goals cell lists no '- ' goal")
    if not _ABOUT.search(goals_cells[0].source):
        raise CourseError(f"{path.name}: the learning goals cell says 'About N minutes.'")
    minutes = notebook_minutes(notebook, _exercises(path.name))
    return NotebookEntry(match["number"], path.name, match["title"], goals, minutes)


def _exercises(filename: str) -> ModuleType | None:
    """The notebook's exercise module, if it has one."""
    try:
        return module_for(filename)
    except ImportError:
        return None


def course_entries(paths: Sequence[Path]) -> list[NotebookEntry]:
    """Every notebook's entry, in order; numbers must run 00, 01, 02… without gaps."""
    entries = [read_entry(path) for path in paths]
    numbers = [entry.number for entry in entries]
    if numbers != [f"{i:02d}" for i in range(len(entries))]:
        raise CourseError(f"notebook numbers must run from 00 without gaps: {numbers}")
    return entries


def navigation_line(entries: Sequence[NotebookEntry], index: int) -> str:
    """``< previous | Contents | next >`` for the notebook at ``index``."""
    contents = f"{entries[0].filename}#{heading_anchor(MAP_HEADING)}"
    if index == 0:
        previous = "paykit course"
        contents = f"#{heading_anchor(MAP_HEADING)}"
    else:
        before = entries[index - 1]
        previous = f"[< {before.label}]({before.filename})"
    if index + 1 < len(entries):
        after = entries[index + 1]
        following = f"[{after.label} >]({after.filename})"
    else:
        following = "end of the course"
    return f"{previous} | [Contents]({contents}) | {following}"


def map_markdown(entries: Sequence[NotebookEntry]) -> str:
    """The table of notebooks and what each teaches (notebook 00's map)."""
    lines = ["| | notebook | time | you will be able to |", "|---|---|---|---|"]
    for entry in entries:
        goals = "<br>".join(f"• {goal}" for goal in entry.goals)
        lines.append(f"| {entry.number} | [{entry.title}]({entry.filename}) | "
                     f"{entry.minutes} min | {goals} |")
    total = sum(entry.minutes for entry in entries)
    lines.append(f"| | all of it | {total // 60} h {total % 60:02d} | |")
    return "\n".join(lines)


def _navigation_cell(text: str, cell_id: str) -> NotebookNode:
    """A generated navigation cell, with a fixed id so rebuilds do not churn."""
    cell = nbformat.v4.new_markdown_cell(text, metadata={"tags": [TAG_NAVIGATION]})
    cell["id"] = cell_id
    return cell


def apply_navigation(notebook: NotebookNode, index: int, entries: Sequence[NotebookEntry],
                     paths: Sequence[Path]) -> NotebookNode:
    """Write the generated cells into ``notebook`` (in place) and return it."""
    cells = [c for c in notebook.cells if TAG_NAVIGATION not in c.metadata.get("tags", [])]
    line = navigation_line(entries, index)
    cells.insert(1, _navigation_cell(line, _NAV_IDS[0]))
    cells.append(_navigation_cell(line, _NAV_IDS[1]))
    for cell in cells:
        tags = cell.metadata.get("tags", [])
        if TAG_MAP in tags:
            cell.source = map_markdown(entries)
        if TAG_GOALS in tags:  # the time, by the stated method
            cell.source = _ABOUT.sub(f"About {entries[index].minutes} minutes.", cell.source,
                                     count=1)
    notebook.cells = cells
    return notebook


def _generated(notebook: NotebookNode) -> list[tuple[int, str]]:
    """The generated cells' positions and text, to compare a file with a regeneration."""
    generated_tags = {TAG_NAVIGATION, TAG_MAP, TAG_GOALS}
    return [(i, c.source) for i, c in enumerate(notebook.cells)
            if generated_tags & set(c.metadata.get("tags", []))]


def stale(directory: Path | None = None) -> list[str]:
    """Notebooks whose navigation, map or coverage cells differ from a regeneration."""
    paths = notebook_paths(directory)
    entries = course_entries(paths)
    out = []
    for index, path in enumerate(paths):
        stored = nbformat.read(path, as_version=4)
        fresh = apply_navigation(nbformat.read(path, as_version=4), index, entries, paths)
        if _generated(stored) != _generated(fresh):
            out.append(path.name)
    return out
