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
