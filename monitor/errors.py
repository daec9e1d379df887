"""The one error path: a user error is one line and exit code 2 on the command line, never a
traceback, and one error document ({"error": {"param", "message", "position"}}) in the API."""
from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import typer

try:  # Typer 0.2x vendors Click and raises its own copies of Click's exceptions
    from typer._click import exceptions as click_exceptions
except ImportError:
    from click import exceptions as click_exceptions

from crawler.sources import SourcesError
from monitor.alerts.model import AlertError
from index.query import QueryError
from index.store import StoreUnavailable

USER_ERROR = 2


class UserError(Exception):
    """A mistake the user can fix: the message names the problem and what to do (and, when one
    is at fault, which parameter and where in a query)."""

    def __init__(self, message: str, param: str | None = None, position: int | None = None):
        super().__init__(message)
        self.param = param
        self.position = position


# Errors whose message is already a complete sentence for the user.
_USER_ERRORS = (UserError, SourcesError, QueryError, StoreUnavailable, AlertError)


def error_document(message: str, param: str | None = None, position: int | None = None) -> dict:
    """The API's one error shape (README): which parameter, what is wrong, where in a query."""
    return {"error": {"param": param, "message": message, "position": position}}


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def run(app: typer.Typer, log_dir: Callable[[], Path], args: list[str] | None = None) -> int:
    """Run the Typer app and return its exit code; every failure becomes one line on stderr, and
    a user error of a `--json` command also the API's error document on stdout."""
    as_json = "--json" in (sys.argv[1:] if args is None else args)
    try:
        result = app(args=args, standalone_mode=False)
        return result if isinstance(result, int) else 0
    except typer.Exit as exc:
        return exc.exit_code
    except click_exceptions.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "newsmon"
        _say(f"{exc.format_message()} (see `{command} --help`)")
        return USER_ERROR
    except click_exceptions.ClickException as exc:  # e.g. a file option Click could not open
        _say(exc.format_message())
        return USER_ERROR
    except _USER_ERRORS as exc:
        _say(str(exc))
        if as_json:  # the same document the API answers with
            print(json.dumps(error_document(one_line(str(exc)), getattr(exc, "param", None),
                                            getattr(exc, "position", None)), ensure_ascii=False))
        return USER_ERROR
    except (KeyboardInterrupt, typer.Abort):
        _say("interrupted")
        return 130
    except BrokenPipeError:  # `newsmon search x | head`: the reader left, nothing to report
        return 0
    except Exception as exc:  # noqa: BLE001 - the last resort: one line here, the traceback in a file
        path = _write_traceback(log_dir())
        where = f"the traceback is in {path}" if path else "no log could be written"
        _say(f"unexpected {type(exc).__name__}: {exc}; {where}")
        return 1


def _say(message: str) -> None:
    print(f"error: {one_line(message)}", file=sys.stderr)


def _write_traceback(folder: Path) -> Path | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stem, n = f"error-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}", 1
        while True:  # two errors in one second keep two files
            path = folder / (f"{stem}.log" if n == 1 else f"{stem}-{n}.log")
            try:
                with open(path, "x", encoding="utf-8") as fh:
                    fh.write(f"newsmon {' '.join(sys.argv[1:])}\n\n{traceback.format_exc()}")
                return path
            except FileExistsError:
                n += 1
    except OSError:
        return None
