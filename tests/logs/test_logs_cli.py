"""paykit analyse EXPORT [--html report.html]."""

from __future__ import annotations

import pytest

from paykit.cli import build_parser, main
from paykit.logs import sample_path


def test_analyse_prints_the_summary(capsys):
    assert main(["analyse", str(sample_path("payments_broken"))]) == 0
    out = capsys.readouterr().out
    assert "76 rows read, 71 parsed, 5 quarantined" in out
    assert "quarantined line 3: impossible timestamp" in out
    for section in ("Funnel", "Declines", "Conformance", "Audit"):
        assert f"\n{section}" in out


def test_analyse_writes_an_html_report(tmp_path, capsys):
    target = tmp_path / "report.html"
    assert main(["analyse", str(sample_path("events")), "--html", str(target)]) == 0
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert str(target) in capsys.readouterr().out


def test_progress_goes_to_stderr_only(capsys):
    main(["analyse", str(sample_path("events")), "--progress", "always"])
    captured = capsys.readouterr()
    assert "reading sample_events.jsonl: 100.0%" in captured.err
    assert "%" not in captured.out.split("\n")[0]


def test_no_progress_for_small_files_by_default(capsys):
    main(["analyse", str(sample_path("events"))])
    assert capsys.readouterr().err == ""


def test_a_missing_file_is_an_error_not_a_traceback(capsys):
    assert main(["analyse", "missing.csv"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_csv_that_is_not_an_export_is_an_error(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text("name,age\nada,36\n")
    assert main(["analyse", str(path)]) == 2
    assert "not a Dashboard payments export" in capsys.readouterr().err


def test_commands_are_subparsers_so_others_can_be_added():
    parser = build_parser()
    assert parser.parse_args(["analyze", "x.csv"]).export == "x.csv"
    with pytest.raises(SystemExit):
        parser.parse_args([])
