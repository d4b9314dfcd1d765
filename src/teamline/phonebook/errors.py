"""Errors of the phonebook domain.

NotFound  404 not-found               NoSuchEntry: missing, or another user's private entry
Forbidden 403 forbidden               CompanyBookReadOnly: the caller may not change it
TeamlineError 415 unsupported-file-type  UnsupportedFileType: an import that is not CSV/vCard
"""

from __future__ import annotations

from teamline.core.errors import Forbidden, NotFound, TeamlineError


class NoSuchEntry(NotFound):
    """The entry does not exist or is not the caller's to see (existence is not revealed)."""


class CompanyBookReadOnly(Forbidden):
    """Only phonebook managers and administrators change the company phonebook."""


class UnsupportedFileType(TeamlineError):
    """An import body that is neither CSV nor vCard."""

    status = 415
    code = "unsupported-file-type"
