"""Specific exceptions. The CLI maps each to exit code 2 with its message and hint, never a traceback."""

from __future__ import annotations


class SellerdxError(Exception):
    """Input that cannot be used. ``str(err)`` is one line naming the file; ``hint`` says how to fix it."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint
        super().__init__(self.location() + message)

    def location(self) -> str:
        if not self.path:
            return ""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f" (column {self.column!r})"
        return where + ": "


class NoInputError(SellerdxError):
    """The folder does not exist, is empty, or holds no orders report."""


class UnreadableFileError(SellerdxError):
    """A file cannot be decoded or opened (corrupt archive, binary, unsafe zip entry)."""


class MissingColumnError(SellerdxError):
    """A recognised report lacks a column the metrics need."""


class BadOptionError(SellerdxError):
    """An option value is invalid (a date that is not YYYY-MM-DD, an unknown marketplace)."""


class QueryParameterError(SellerdxError):
    """A query was run without a parameter it declares (a programming error, caught by tests)."""


class ReadOnlyQueryError(SellerdxError):
    """``Analysis.sql()`` was given a statement other than a query (a write, DDL, ATTACH, COPY, SET ...)."""


class NoOrdersInWindowError(SellerdxError):
    """No metric window holds a single order (``--as-of`` past the data, or before it)."""
