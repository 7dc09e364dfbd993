"""paykit analyse EXPORT [--html report.html]."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import zipfile

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


def _one_sentence(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(("data", "says"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "holds binary data"),
    (b"", "is empty"),
])
def test_a_file_paykit_cannot_read_is_one_sentence(tmp_path, capsys, data, says):
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    assert main(["analyse", str(path)]) == 2
    assert says in _one_sentence(capsys.readouterr().err)


def test_a_folder_is_one_sentence(tmp_path, capsys):
    assert main(["analyse", str(tmp_path)]) == 2
    assert "a folder" in _one_sentence(capsys.readouterr().err)


@pytest.mark.parametrize("compress", [bz2.compress, gzip.compress, lambda d: _zipped(d)])
def test_compressed_exports_are_read(tmp_path, capsys, compress):
    path = tmp_path / "export.bin"
    path.write_bytes(compress(sample_path("payments").read_bytes()))
    assert main(["analyse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "0 quarantined" in out and "\nFunnel" in out


def _zipped(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("unified_payments.csv", data)
    return out.getvalue()


def _webhook_log(tmp_path):
    """A webhook log of one ``payment_intent.succeeded`` event: no transition at all."""
    event = {"id": "evt_1", "object": "event", "type": "payment_intent.succeeded",
             "created": 1_767_225_600, "data": {"object": {
                 "id": "pi_1", "object": "payment_intent", "status": "succeeded",
                 "amount": 100, "currency": "usd"}}}
    path = tmp_path / "webhooks.jsonl"
    path.write_text(json.dumps(event) + "\n")
    return path


def test_a_webhook_log_with_no_transitions_is_analysed(tmp_path, capsys):
    path = _webhook_log(tmp_path)
    assert main(["analyse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "created                    unknown" in out
    assert "time in status not available" in out


def test_a_header_only_export_is_analysed(tmp_path, capsys):
    path = tmp_path / "payments.csv"
    path.write_text(sample_path("payments").read_text().splitlines()[0] + "\n")
    assert main(["analyse", str(path)]) == 0
    assert "0 rows read, 0 parsed, 0 quarantined" in capsys.readouterr().out


def test_by_an_unknown_column_lists_the_columns_there_are(capsys):
    assert main(["analyse", str(sample_path("payments")), "--by", "Card Brand"]) == 2
    line = _one_sentence(capsys.readouterr().err)
    assert "column 'Card Brand' is empty in this log" in line and "currency" in line


def test_by_a_known_column_splits_the_funnel(capsys):
    assert main(["analyse", str(sample_path("events")), "--by", "currency"]) == 0
    assert "Funnel by currency" in capsys.readouterr().out


def test_an_unexpected_failure_is_still_one_sentence(monkeypatch, capsys):
    import paykit.logs

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(paykit.logs, "analyse", broken)
    assert main(["analyse", str(sample_path("events"))]) == 2
    line = _one_sentence(capsys.readouterr().err)
    assert "RuntimeError: boom" in line and "paykit bug" in line


def test_the_html_report_of_a_webhook_log_says_what_it_cannot_tell(tmp_path, capsys):
    path = _webhook_log(tmp_path)
    target = tmp_path / "report.html"
    assert main(["analyse", str(path), "--html", str(target)]) == 0
    page = target.read_text()
    assert "first seen after their creation" in page and "time in status not available" in page


def test_the_csv_switches_of_the_api_are_switches_of_the_command(tmp_path, capsys):
    text = sample_path("payments").read_text()
    path = tmp_path / "renamed.csv"
    path.write_text(text.replace("Created date (UTC)", "Date").replace(",", ";"))
    assert main(["analyse", str(path), "--delimiter", ";", "--column", "created=Date"]) == 0
    assert "0 quarantined" in capsys.readouterr().out
    assert main(["analyse", str(path), "--column", "when=Date"]) == 2
    line = _one_sentence(capsys.readouterr().err)
    assert "no column 'when' to rename" in line and "created, amount" in line


@pytest.mark.parametrize(("by", "column", "group"), [
    ("Card Brand", "card_brand", "visa"),
    ("Card Issue Country", "card_country", "US"),
    ("Card Funding", "card_funding", "credit"),
    ("Payment Source Type", "payment_method_type", "card"),
    ("card_brand", "card_brand", "mastercard"),
])
def test_by_each_dimension_splits_the_authorisation_rate(tmp_path, capsys, by, column, group):
    from tests.logs.analyses.test_logs_analyst_questions import export

    path = tmp_path / "unified_payments.csv"
    path.write_bytes(export())
    assert main(["analyse", str(path), "--by", by]) == 0
    out = capsys.readouterr().out
    section = out.split("\nAuthorisation\n")[1]
    assert section.startswith(f"  by {column}: 4 of 6 decided attempts authorised (66.7%)")
    assert f"\n    {group} " in section.split("\n  by ")[0]


def test_by_a_column_the_export_lacks_names_the_ones_it_has(tmp_path, capsys):
    from tests.logs.analyses.test_logs_analyst_questions import export

    path = tmp_path / "unified_payments.csv"
    path.write_bytes(export())
    assert main(["analyse", str(path), "--by", "Card CVC Status"]) == 2
    line = _one_sentence(capsys.readouterr().err)
    assert "no column 'Card CVC Status'" in line
    assert "card_brand" in line and "card_country" in line and "card_funding" in line
