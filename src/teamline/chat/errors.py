"""Errors of the chat domain.

NotFound     404 not-found              NoSuchConversation: missing, or the caller is no member
NotFound     404 not-found              NoSuchMessage: not in this conversation
NotFound     404 not-found              NoSuchAttachment: missing, or not the caller's to see
Forbidden    403 forbidden              CannotChangeMessage: someone else's, or deleted
InvalidInput 422 message-empty          MessageIsEmpty: no text and no attachment
InvalidInput 422 unknown-attachments    UnknownAttachments: ids not uploaded here by the caller
"""

from __future__ import annotations

from teamline.core.errors import Forbidden, InvalidInput, NotFound


class NoSuchConversation(NotFound):
    """The conversation does not exist or the caller is not a member (not revealed which)."""


class NoSuchMessage(NotFound):
    """No message with that id in this conversation."""


class NoSuchAttachment(NotFound):
    """The attachment does not exist or the caller is not in its conversation."""


class CannotChangeMessage(Forbidden):
    """Only the author may edit or delete a message, and only while it is not deleted."""


class MessageIsEmpty(InvalidInput):
    code = "message-empty"


class UnknownAttachments(InvalidInput):
    code = "unknown-attachments"
