"""Sign-in backoff: how long wrong passwords make unknown devices wait, and what is remembered in
memory about emails that have no account so they wait exactly as long.

An account's count lives in ``user.failed_logins`` / ``user.login_blocked_until`` (shared by every
worker). An email without an account has no row to count in, yet must answer like one -- 401s,
then 429s with the same Retry-After -- or the answers would tell which emails have accounts. So
its failures are counted here, per process, with the same rule. Caveats, accepted: with several
worker processes each keeps its own count for such an email (its 429s start later than an
account's would, if the attempts are spread); an entry is forgotten a day after its last failure
or when ``MAX_UNKNOWN_EMAILS`` newer ones crowd it out, while an account's count lasts until its
next successful sign-in.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from limits.aio.storage import MemoryStorage

MAX_UNKNOWN_EMAILS = 100_000
UNKNOWN_EMAIL_KEPT = timedelta(days=1)


def block_seconds(failed: int, after: int, cap: int) -> int | None:
    """How long unknown devices wait after the ``failed``-th wrong password in a row: nothing
    before ``after`` of them, then 1, 2, 4, ... seconds, at most ``cap``."""
    if failed < after:
        return None
    return min(1 << min(failed - after, 30), cap)


def retry_after(blocked_until: datetime, now: datetime) -> int:
    """Whole seconds until ``blocked_until`` (at least 1), for a Retry-After header."""
    return max(1, ceil((blocked_until - now).total_seconds()))


@dataclass
class _Entry:
    failed: int
    blocked_until: datetime | None
    last_failure: datetime


class UnknownEmails:
    """Failure counts of emails without an account (see the module docstring)."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def _get(self, email: str, now: datetime) -> _Entry | None:
        entry = self._entries.get(email.lower())
        if entry is not None and now - entry.last_failure > UNKNOWN_EMAIL_KEPT:
            del self._entries[email.lower()]
            return None
        return entry

    def blocked_until(self, email: str, now: datetime) -> datetime | None:
        entry = self._get(email, now)
        return entry.blocked_until if entry else None

    def fail(self, email: str, now: datetime, after: int, cap: int) -> tuple[int, datetime | None]:
        """Count a wrong attempt; (failures so far, until when unknown devices now wait or None)."""
        key = email.lower()
        entry = self._get(email, now) or _Entry(0, None, now)
        entry.failed += 1
        entry.last_failure = now
        seconds = block_seconds(entry.failed, after, cap)
        if seconds is not None:
            entry.blocked_until = now + timedelta(seconds=seconds)
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > MAX_UNKNOWN_EMAILS:
            self._entries.popitem(last=False)
        return entry.failed, entry.blocked_until if seconds is not None else None

    def clear(self) -> None:
        self._entries.clear()


class SignInMemory(MemoryStorage):
    """Everything sign-in keeps in process memory, reset together: the per-address moving
    windows (the ``limits`` storage this is) and the counts of emails without an account."""

    def __init__(self) -> None:
        super().__init__()
        self.unknown_emails = UnknownEmails()

    async def reset(self) -> int | None:
        self.unknown_emails.clear()
        return await super().reset()


MEMORY = SignInMemory()
