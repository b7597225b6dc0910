"""Shared value types for request schemas."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    value = value.strip()
    if not _EMAIL.match(value):
        raise ValueError("not an email address (expected name@domain.tld)")
    return value


# Self-hosted installs use internal domains (.local, .internal, .test) that strict
# validators refuse as "special use"; Tempo only needs the shape of an address.
Email = Annotated[str, Field(min_length=3, max_length=320), AfterValidator(_email)]


_HOST = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def domain(text: str) -> str:
    """``https://www.Acme.com:443/pricing?x`` -> ``acme.com``; the host as people mean it.

    Lower-cased; scheme, credentials, port, path, query and a trailing dot dropped;
    one leading ``www.`` (or ``www2.``...) removed. Anything that is not a host name
    afterwards is refused with the reason.
    """
    host = text.strip().lower()
    if "://" in host:
        host = host.split("://", 1)[1]
    host = re.split(r"[/?#]", host, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    host = re.sub(r"^www\d*\.", "", host)
    if not _HOST.match(host):
        raise ValueError(f"'{text.strip()}' is not a domain name (expected e.g. acme.com)")
    return host


def split_domains(value: object) -> object:
    """One cell may hold several domains separated by commas, semicolons or spaces."""
    if isinstance(value, str):
        return [p for p in re.split(r"[,;\s]+", value) if p]
    return value


Domain = Annotated[str, Field(min_length=1, max_length=2048), AfterValidator(domain)]


def storable(text: str) -> str:
    """``text`` with NUL characters and unpaired surrogates written as escapes, for messages
    and ids that are stored (a rejection must be storable even when its item was not)."""
    return text.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")


def unstorable(value: object, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where in ``value`` (nested dicts and lists) a text holds what PostgreSQL cannot store:
    a NUL character or an unpaired surrogate (JSON allows both). None when all is storable."""
    if isinstance(value, str):
        if "\x00" in value:
            return path
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            where = unstorable(key, (*path, storable(str(key))[:50])) or unstorable(item, (*path, storable(str(key))))
            if where is not None:
                return where
    elif isinstance(value, list):
        for index, item in enumerate(value):
            where = unstorable(item, (*path, index))
            if where is not None:
                return where
    return None


UNSTORABLE = "text with a NUL character (\\u0000) or an unpaired surrogate cannot be stored"
