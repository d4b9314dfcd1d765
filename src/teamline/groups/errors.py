"""Errors of the groups domain.

NotFound     404 not-found        NoSuchGroup: missing, or the caller is no member
Forbidden    403 forbidden        NotGroupOwner: only the creator or an admin may do this
InvalidInput 422 group-too-large  GroupTooLarge: more members than the configured limit
"""

from __future__ import annotations

from teamline.core.errors import Forbidden, InvalidInput, NotFound


class NoSuchGroup(NotFound):
    """The group does not exist or the caller is not a member (not revealed which)."""


class NotGroupOwner(Forbidden):
    """Deleting a group or removing others from it is for its creator or an admin."""


class GroupTooLarge(InvalidInput):
    code = "group-too-large"
