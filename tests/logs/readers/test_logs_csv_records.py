"""csv_records: records by physical line; a damaged record costs only its own lines."""

from __future__ import annotations

from paykit.logs.readers.csv_records import MAX_LINES_PER_RECORD, split_records


def test_the_fast_and_the_careful_path_agree_on_a_clean_file():
    text = 'a,b\n1,"x, y"\n2,z\n'
    fast = split_records(text, ",")
    careful = split_records(text.replace("\n2,z", "\n\n2,z"), ",")  # a blank line: careful
    assert fast.cells.values.tolist() == careful.cells.values.tolist() == [
        ["1", "x, y"], ["2", "z"]]
    assert fast.lines.tolist() == [2, 3] and careful.lines.tolist() == [2, 4]


def test_a_quoted_cell_may_hold_line_breaks():
    records = split_records('a,b\n1,"one\ntwo"\n2,z\n', ",")
    assert records.cells.values.tolist() == [["1", "one\ntwo"], ["2", "z"]]
    assert records.lines.tolist() == [2, 4] and records.damaged == []


def test_a_stray_quote_costs_its_own_line_not_the_rows_it_would_swallow():
    text = "a,b\n" + '1,"open\n' + "".join(f"{k},x\n" for k in range(2, 10))
    records = split_records(text, ",")
    assert len(records.cells) == 8 and [d[0] for d in records.damaged] == [2]


def test_an_open_quote_is_given_up_after_the_line_limit():
    body = "\n".join("text" for _ in range(MAX_LINES_PER_RECORD + 5))
    records = split_records(f'a,b\n1,"{body}"\n', ",")
    assert records.damaged[0][:2] == (2, "a quote opened here never closes")


def test_every_record_is_counted_good_or_damaged():
    records = split_records("a,b\n1,2\n3\n4,5,6\na,b\n7,\x00\n8,9", ",")
    assert records.records == 6 and len(records.cells) == 2
    assert [d[1] for d in records.damaged] == [
        "expected 2 fields, found 1", "expected 2 fields, found 3",
        "a repeated header line (files joined together?)", "NUL byte in the row (damaged file)"]
