"""The one base class of every error a user can cause or fix.

The ``halfyear`` command prints any :class:`HalfyearError` as one line (``halfyear <command>:
error: <message>``) and exits with status 2; the message names the file, row, parameter or
notebook and says what is allowed. Errors of the package's own making are not derived from
it: they reach the user as tracebacks, to be reported.

Examples
--------
>>> from analysis.catalog import CatalogError
>>> issubclass(CatalogError, HalfyearError)
True
"""

from __future__ import annotations


class HalfyearError(Exception):
    """An error whose message is all the user needs (exit status 2 on the command line)."""


class UserError(HalfyearError):
    """A command-line option or input that cannot be served, without a more specific kind."""
