"""What every `goaldesk` sub-command shares: failing with exit code 2, reading and writing files.

A command raises `Unusable` for arguments or files it cannot use; its entry point catches it and
returns `fail(message)`.
"""

import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _


class Unusable(Exception):
    """The arguments or a file cannot be used; the message says what and where."""


def fail(message: str) -> int:
    """Print `error: message` on standard error; return the exit code 2."""
    print(_("error: %(message)s") % {"message": message}, file=sys.stderr)
    return 2


def read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise Unusable(
            _("cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from error


def write_or_print(text: str, out: str | None) -> None:
    """Write `text` to the file `out`, or to standard output when there is none."""
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as error:
            raise Unusable(
                _("cannot write %(path)s: %(reason)s") % {"path": out, "reason": error.strerror}
            ) from error
    else:
        sys.stdout.write(text)


def finite(value: float | None, digits: int = 4) -> float | None:
    """`value` rounded for JSON output; None when it is missing or not finite."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def text_table(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cells as a plain-text table: each column as wide as its widest cell."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


#: The filters every metric takes (interactions.selectors.FILTER_NAMES), as CLI options.
FILTER_OPTIONS = {
    "channel": "channel key, e.g. phone",
    "team": "team name or id",
    "agent": "agent key or id",
    "category": "category key",
    "segment": "customer segment name or id",
}


def add_filter_options(parser: Any) -> None:
    """--channel, --team, --agent, --category and --segment on a sub-command."""
    for name, text in FILTER_OPTIONS.items():
        parser.add_argument(f"--{name}", help=text)


def filters_of(args: Any) -> dict[str, str]:
    """The filters given on the command line, {name: value} (blank ones left out)."""
    return {
        name: value.strip()
        for name in FILTER_OPTIONS
        if (value := getattr(args, name, None)) and value.strip()
    }
