"""Every point of the Stripe guides the course follows is taught by a named section.

The map is the ``seed:<id>`` cell tags in the notebooks, read by ``tools.course.coverage``;
``SEED_POINTS`` lists the points with a verbatim quote of the guide (the two pages are
linked from ``tools/course/coverage.py``). The checklist the course was written against
is restated here, as the specification the map must satisfy. The quotes are checked
against saved copies of the French pages when ``PAYKIT_SEEDS_DIR`` points at them, and
those of the later guides against the reference notes (``PAYKIT_REFERENCE_DIR``).
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from tools.course import coverage
from tools.course.appendix import appendix_markdown, appendix_path
from tools.course.coverage import SEED_POINTS, coverage_map, coverage_problems
from tools.course.navigation import notebook_paths

NOTEBOOKS = notebook_paths()
SEEDS_DIR = Path(os.environ.get("PAYKIT_SEEDS_DIR", "/work/shared/seeds"))
REFERENCE_DIR = Path(os.environ.get("PAYKIT_REFERENCE_DIR", "/work/shared/reference"))

#: The course's checklist of the guides' points, each mapped to the SEED_POINTS id that
#: covers it.
CHECKLIST: dict[str, tuple[str, ...]] = {
    "amount + currency at creation": ("amount-currency",),
    "create early, update the amount": ("create-early-update-amount",),
    "reuse the same intent": ("reuse-intent",),
    "idempotency key from cart/session": ("idempotency-key",),
    "client secret via an endpoint (single-page app)": ("client-secret-spa",),
    "client secret via server-side rendering": ("client-secret-ssr",),
    "never store / log / URL, TLS": ("client-secret-caution",),
    "listen to webhooks after payment": ("webhooks-after-payment",),
    "several charges per intent": ("several-charges",),
    "setup_future_usage on/off session table": ("sfu-table",),
    "off-session decline risk": ("off-session-decline-risk",),
    "the friction caution": ("sfu-friction-caution",),
    "descriptor limits and forbidden characters": ("descriptor-limits",),
    'prefix + "* " counted': ("descriptor-prefix-suffix",),
    "metadata for an order id": ("metadata-order-id",),
    "metadata copied to the charge and independent afterwards": ("metadata-copied-to-charge",),
    "no sensitive data in metadata or description": ("no-sensitive-data",),
    "every status of the lifecycle": (
        "lifecycle-every-status", "status-requires-payment-method",
        "status-requires-confirmation", "status-requires-action", "status-processing",
        "status-requires-capture", "status-succeeded",
    ),
    "requires_confirmation usually skipped": ("status-requires-confirmation",),
    "processing only for async methods": ("status-processing",),
    "manual capture -> requires_capture": ("status-requires-capture",),
    "cancel rules and irreversibility": ("cancel-rules",),
    "automatic cancel after too many confirmations": ("auto-cancel",),
    "legacy names before 2019-02-11": ("legacy-names",),
    # the new flows (Course 2.0): saving, off-session, SetupIntents, refunds, webhooks, 3DS
    "save a payment method to a Customer": ("pm-attach-to-customer",),
    "recover an off-session decline on session": ("off-session-authenticate-on-session",),
    "a SetupIntent saves without a payment": ("setupintent-without-payment",
                                              "setupintent-statuses"),
    "refund all or part, never beyond the charge": ("refund-full-or-partial",
                                                    "refund-not-beyond-charge"),
    "a refund's own lifecycle": ("refund-lifecycle",),
    "webhook endpoint, secret and signature": ("webhook-endpoint-secret",
                                               "webhook-raw-body-signature",
                                               "webhook-tolerance"),
    "duplicates, disorder and retries": ("webhook-duplicates", "webhook-order",
                                         "webhook-2xx-retries"),
    "3D Secure in the customer's browser": ("stripejs-3ds-modal",),
}


def test_the_course_notebooks_exist() -> None:
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(15)]


def test_every_seed_point_is_taught_where_the_table_says_under_a_heading() -> None:
    assert coverage_problems(NOTEBOOKS) == []


def test_seed_point_ids_are_unique_and_name_a_known_guide() -> None:
    ids = [point.id for point in SEED_POINTS]
    assert len(ids) == len(set(ids))
    assert {point.seed for point in SEED_POINTS} == set(coverage.GUIDES)
    assert set(coverage.SEEDS) | set(coverage.REFERENCE_NOTES) == set(coverage.GUIDES)


@pytest.mark.parametrize("item", sorted(CHECKLIST))
def test_each_point_of_the_checklist_is_covered(item: str) -> None:
    mapping = coverage_map(NOTEBOOKS)
    for point_id in CHECKLIST[item]:
        assert mapping.get(point_id), f"{item!r}: {point_id} is taught nowhere"


def test_every_seed_point_is_a_section_of_its_notebook() -> None:
    mapping = coverage_map(NOTEBOOKS)
    for point in SEED_POINTS:
        sections = mapping[point.id]
        assert [s.notebook for s in sections] == [point.notebook] * len(sections)
        assert all(s.heading for s in sections)


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"the seed pages are not at {SEEDS_DIR} "
                    "(set PAYKIT_SEEDS_DIR)")
def test_every_quote_is_verbatim_from_its_seed_page() -> None:
    pages = {path.name[:3]: path.read_text(encoding="utf-8")
             for path in SEEDS_DIR.glob("*.txt")}
    for point in SEED_POINTS:
        if point.seed in coverage.SEEDS:
            assert point.quote in pages[point.seed], point.id


@pytest.mark.skipif(not REFERENCE_DIR.is_dir(), reason=f"the reference notes are not at "
                    f"{REFERENCE_DIR} (set PAYKIT_REFERENCE_DIR)")
def test_every_quote_of_a_later_guide_is_verbatim_from_its_reference_note() -> None:
    quoted = [point for point in SEED_POINTS if point.seed in coverage.REFERENCE_NOTES]
    assert quoted
    for point in quoted:
        note = REFERENCE_DIR / coverage.REFERENCE_NOTES[point.seed]
        assert point.quote in note.read_text(encoding="utf-8"), point.id


def test_the_appendix_holds_the_generated_coverage_table_and_the_notebooks_do_not() -> None:
    text = appendix_path(NOTEBOOKS).read_text(encoding="utf-8")
    assert text == appendix_markdown(NOTEBOOKS)  # python -m tools.course.build writes it
    table = coverage.coverage_markdown(NOTEBOOKS)
    assert table in text and "not taught yet" not in table
    assert table.count("\n") == len(SEED_POINTS) + 1
    for path in NOTEBOOKS:  # the learner's path links to it instead
        notebook = nbformat.read(path, as_version=4)
        assert not any("| guide | what the guide says |" in c.source for c in notebook.cells)
    assert "appendix.md" in "".join(c.source for c in nbformat.read(
        NOTEBOOKS[0], as_version=4).cells)


def test_a_missing_tag_is_reported(tmp_path: Path) -> None:
    copy = tmp_path / NOTEBOOKS[1].name
    notebook = nbformat.read(NOTEBOOKS[1], as_version=4)
    for cell in notebook.cells:
        cell.metadata["tags"] = [t for t in cell.metadata.get("tags", [])
                                 if t != "seed:idempotency-key"]
        if "seed:amount-currency" in cell.metadata["tags"]:
            cell.metadata["tags"].append("seed:no-such-point")
    nbformat.write(notebook, copy)
    problems = coverage_problems([copy])
    assert any(p.startswith("idempotency-key ") for p in problems)
    assert any("seed:no-such-point" in p for p in problems)
