"""The ``paykit`` command: ``paykit analyse EXPORT [--html report.html]``.

Subcommands are argparse subparsers, so others (``serve``) plug in beside ``analyse``.
``analyse`` reads any supported export (format detected from the content), shows
progress on stderr for large files, prints the summary (funnel, declines,
conformance, audit) on stdout, and can write a self-contained HTML report.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

__all__ = ["PROGRESS_BYTES", "ProgressLine", "build_parser", "main"]

#: Files at least this large show a progress line on stderr (``--progress auto``).
PROGRESS_BYTES = 5 * 1024 * 1024


class ProgressLine:
    """A one-line progress indicator, redrawn at most every 0.2 s."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label = label
        self.stream = stream
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.2:
            return
        self.last = now
        share = done / total if total else 1.0
        self.stream.write(f"\r{self.label}: {share:5.1%}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """End the line so the next output starts clean."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _analyse(args: argparse.Namespace) -> int:
    """Read, analyse, print; a file that cannot be read or a bad switch is one sentence
    on stderr and exit status 2, never a traceback."""
    path = Path(args.export)
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "no such file"
        print(f"paykit analyse: {what}: {path}", file=sys.stderr)
        return 2
    show = args.progress == "always" or (
        args.progress == "auto" and path.stat().st_size >= PROGRESS_BYTES
    )
    progress = ProgressLine(f"reading {path.name}", sys.stderr) if show else None
    try:
        return _read_and_analyse(args, path, progress, show)
    except (ValueError, OSError) as error:  # UnreadableExport, an unknown --by column
        message = str(error)
    except Exception as error:  # the promise: one sentence, never a traceback
        message = (f"{path.name} could not be analysed ({type(error).__name__}: {error}); "
                   "this is a paykit bug, please report it with the file's first lines")
    finally:
        if progress:
            progress.close()
    print(f"paykit analyse: {message}", file=sys.stderr)
    return 2


def _csv_columns() -> list[str]:
    """The ``*_column`` keywords of ``read_dashboard_csv``, read from its signature."""
    import inspect

    from paykit.logs import read_dashboard_csv

    return [name for name in inspect.signature(read_dashboard_csv).parameters
            if name.endswith("_column")]


def _csv_options(args: argparse.Namespace) -> dict[str, str]:
    """``--delimiter`` and ``--column KEY=NAME`` as ``read_dashboard_csv`` keywords."""
    options = {"delimiter": args.delimiter} if args.delimiter else {}
    for pair in args.column or []:
        key, sep, name = pair.partition("=")
        if not sep or not key.strip() or not name.strip():
            raise ValueError(f"--column takes KEY=NAME (created=\"Date (UTC)\"), not {pair!r}")
        keyword = key.strip().removesuffix("_column") + "_column"
        keywords = _csv_columns()
        if keyword not in keywords:
            raise ValueError(f"--column: no column {key.strip()!r} to rename; choose one of "
                             + ", ".join(k.removesuffix("_column") for k in keywords))
        options[keyword] = name.strip()
    return options


def _read_and_analyse(args: argparse.Namespace, path: Path, progress: ProgressLine | None,
                      show: bool) -> int:
    from paykit.logs import analyse, read, write_html_report  # pandas: loaded only here

    log, report = read(path, format=args.format, progress=progress, **_csv_options(args))
    if progress:
        progress.close()
        progress.shown = False
    if show:
        print(f"analysing {log['intent'].nunique():,} intents…", file=sys.stderr)
    result = analyse(log, by=args.by)
    print(report.summary())
    for line, reason, _ in report.quarantined[:10]:
        print(f"  quarantined line {line}: {reason}")
    if report.rows_quarantined > 10:
        print(f"  … and {report.rows_quarantined - 10} more")
    print()
    print(result.summary())
    if args.html:
        written = write_html_report(result, args.html, report, title=f"paykit: {path.name}")
        print(f"\nHTML report written to {written}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``paykit`` argument parser, one subparser per command.

    >>> build_parser().parse_args(["analyse", "x.csv"]).command
    'analyse'
    """
    parser = argparse.ArgumentParser(
        prog="paykit", description="Learn and analyse Stripe PaymentIntents offline."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    analyse = commands.add_parser(
        "analyse", aliases=["analyze"], help="analyse an exported payment log",
        description="Read a Stripe export (events JSON/JSONL, PaymentIntent objects or the "
        "Dashboard payments CSV), check it against the lifecycle and print a summary.",
    )
    analyse.add_argument("export", help="the export file (.json, .jsonl, .csv; plain, .gz, .bz2 "
                         "or a one-file .zip)")
    analyse.add_argument("--html", metavar="REPORT.html", help="also write an HTML report")
    analyse.add_argument("--format", choices=["events", "objects", "dashboard_csv"],
                         help="skip format detection")
    analyse.add_argument("--by", metavar="COLUMN",
                         help="split the funnel by a log column, a metadata key or any "
                         "exported column (\"Card Brand\"); an unknown name lists those "
                         "the file has")
    analyse.add_argument("--progress", choices=["auto", "always", "never"], default="auto",
                         help="progress on stderr (auto: files of 5 MB or more)")
    analyse.add_argument("--delimiter", metavar="CHAR",
                         help="the Dashboard CSV's delimiter (default: found from the header)")
    analyse.add_argument("--column", metavar="KEY=NAME", action="append",
                         help="the Dashboard CSV column for KEY when its name differs, e.g. "
                         "--column created=\"Date (UTC)\" (repeatable; KEY as in "
                         "paykit.logs.read_dashboard_csv's *_column keywords)")
    analyse.set_defaults(handler=_analyse)
    from paykit.http.server import add_serve_parser  # no stripe import: stays light

    add_serve_parser(commands)
    from paykit.checkout.command import add_checkout_parser

    add_checkout_parser(commands)
    _add_webhook_parsers(commands)
    return parser


def _add_webhook_parsers(commands: Any) -> None:
    """``paykit listen --forward-to URL`` and ``paykit events resend`` (``paykit.webhooks``).

    >>> build_parser().parse_args(["listen", "--forward-to", "http://localhost:4242"]).port
    12111
    """
    from paykit.webhooks.listen import add_events_parser, add_listen_parser

    add_listen_parser(commands)
    add_events_parser(commands)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``paykit`` command line; returns the exit status.

    >>> main(["analyse", "no-such-file.csv"])
    2
    """
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
