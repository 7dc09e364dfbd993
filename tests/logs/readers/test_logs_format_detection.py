"""read() picks the reader from the content, so the CLI takes any export."""

from __future__ import annotations

import gzip

import pytest

from paykit.logs import detect_format, read, sample_path


@pytest.mark.parametrize(("sample", "expected"), [
    ("events", "events"), ("objects", "objects"), ("payments", "dashboard_csv"),
    ("events_broken", "events"), ("payments_broken", "dashboard_csv"),
])
def test_every_shipped_sample_is_recognised(sample, expected):
    assert read(sample_path(sample)).report.format == expected


def test_gzipped_exports_are_recognised(tmp_path):
    path = tmp_path / "export.gz"
    path.write_bytes(gzip.compress(sample_path("payments").read_bytes()))
    assert read(path).report.format == "dashboard_csv"


def test_loaded_objects_are_recognised_too(pi_event):
    assert read([pi_event("pi_1", "payment_intent.created", 1_767_225_600,
                          "requires_payment_method")]).report.format == "events"
    assert detect_format('[{"object": "payment_intent", "id": "pi_1"}]') == "objects"


def test_an_unknown_format_name_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        read(sample_path("events"), format="xml")
