"""The call journal as the call engine hands it in and as the API shows it (JRNL-1…5).

``CallRecord`` is what the call engine writes when a call ends; the ``*Out`` models are the
API's entries. One call becomes one entry per involved user, seen from that user's side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel

Direction = Literal["inbound", "outbound"]
Result = Literal["answered", "missed", "completed-elsewhere", "voicemail", "busy", "rejected"]
Source = Literal["user", "private-phonebook", "company-phonebook"]

RESULTS: frozenset[str] = frozenset(get_args(Result))


@dataclass(frozen=True)
class Party:
    """One side of a call: a user of this system, or a number (external, a team's number).

    Both empty is an anonymous caller.
    """

    user_id: str | None = None
    number: str | None = None

    @classmethod
    def user(cls, user_id: str) -> Party:
        return cls(user_id=user_id)

    @classmethod
    def external(cls, number: str | None) -> Party:
        return cls(number=number)


@dataclass(frozen=True)
class RouteStep:
    """A step of the call's way: ``event`` ("ringing", "answered", "forwarded", …) at ``target``
    (a user, device, team or number, as the call engine names it)."""

    at: datetime
    event: str
    target: str | None = None


@dataclass(frozen=True)
class CallRecord:
    """One finished call, as the call engine reports it.

    ``results`` names every involved user (the caller if a user, everyone who rang) with the
    call's result from that user's side: team members who did not take a call a colleague
    answered are ``completed-elsewhere`` (TEAM-6); an unanswered outbound call is ``missed``
    from the caller's side too, but only inbound missed calls count as unseen (JRNL-5).
    ``devices`` says which device of a user placed or took the call. ``system`` marks calls
    with voicemail, IVR and the like (hidden by the setting ``hide_system_calls``).
    """

    call_id: str
    started_at: datetime
    caller: Party
    callee: Party
    results: Mapping[str, Result]
    answered_by: str | None = None
    ring_seconds: int = 0
    talk_seconds: int = 0
    team_name: str | None = None
    devices: Mapping[str, str] = field(default_factory=dict)
    system: bool = False
    route: Sequence[RouteStep] = ()

    def __post_init__(self) -> None:
        if self.started_at.tzinfo is None:
            raise ValueError("started_at must be timezone-aware")
        unknown = {r for r in self.results.values() if r not in RESULTS}
        if unknown:
            raise ValueError(f"unknown call results: {sorted(unknown)}")
        if self.ring_seconds < 0 or self.talk_seconds < 0:
            raise ValueError("ring and talk seconds cannot be negative")

    def direction_for(self, user_id: str) -> Direction:
        return "outbound" if self.caller.user_id == user_id else "inbound"

    def other_side(self, user_id: str) -> Party:
        """Whom ``user_id`` talked to (or would have): the callee for the caller, else the
        caller."""
        return self.callee if self.caller.user_id == user_id else self.caller

    @property
    def internal(self) -> bool:
        """Users on both sides: a user called a colleague or a team of colleagues."""
        caller = self.caller.user_id
        return caller is not None and (
            self.callee.user_id is not None or any(uid != caller for uid in self.results)
        )


class PartyOut(BaseModel):
    """The other side, with the name it had when the call happened."""

    name: str | None
    number: str | None
    display: str | None = None  # the number as people write it ("0170 1234567")
    user_id: str | None
    source: Source | None


class JournalOut(BaseModel):
    id: str
    call_id: str
    direction: Direction
    result: Result
    party: PartyOut
    internal: bool
    system: bool
    team_name: str | None
    device: str | None
    started_at: datetime
    ring_seconds: int
    talk_seconds: int
    seen: bool


class RouteStepOut(BaseModel):
    at: datetime
    event: str
    target: str | None


class JournalDetailOut(JournalOut):
    """An entry with its route and the last calls with the same party (JRNL-2, JRNL-3)."""

    route: list[RouteStepOut]
    recent_with_party: list[JournalOut]
    copy_text: str


class JournalListOut(BaseModel):
    entries: list[JournalOut]
    missed_unseen: int
