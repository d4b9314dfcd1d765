"""Keeping secrets out of the logs.

Browsers pass the event socket's token as ``?token=`` (they cannot set headers on a
WebSocket), and uvicorn logs WebSocket paths with their query string. This filter blanks the
token in every record of the server's loggers before any handler formats it.
"""

from __future__ import annotations

import logging
import re

TOKEN_IN_QUERY = re.compile(r"([?&]token=)[^&\s\"']+")
SERVER_LOGGERS = ("uvicorn.error", "uvicorn.access")


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "token=" in message:
            record.msg = TOKEN_IN_QUERY.sub(r"\1[redacted]", message)
            record.args = ()
        return True


def redact_tokens() -> None:
    """Install the filter on uvicorn's loggers (idempotent)."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
