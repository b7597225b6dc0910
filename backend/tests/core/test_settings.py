from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.core.config import INSECURE_SECRET, Settings


def test_production_refuses_the_default_secret():
    with pytest.raises(ValidationError, match="TEMPO_SECRET_KEY must be set"):
        Settings(environment="production", secret_key=INSECURE_SECRET)
    with pytest.raises(ValidationError, match="TEMPO_SECRET_KEY must be set"):
        Settings(environment="production", secret_key="short")
    assert Settings(environment="production", secret_key="x" * 40).secret_key == "x" * 40


def test_database_urls_are_normalised_to_asyncpg():
    for given in ("postgres://u@h:5432/d", "postgresql://u@h:5432/d", "postgresql+psycopg://u@h:5432/d"):
        assert Settings(database_url=given).async_database_url == "postgresql+asyncpg://u@h:5432/d"


def test_settings_validation():
    assert Settings(reporting_currency="eur").reporting_currency == "EUR"
    with pytest.raises(ValidationError):
        Settings(reporting_currency="EURO")
    with pytest.raises(ValidationError):
        Settings(gross_margin=0)


def test_plain_and_prefixed_env_names(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://a@b/c")
    monkeypatch.setenv("TEMPO_REDIS_URL", "redis://r:1/0")
    s = Settings()
    assert (s.database_url, s.redis_url) == ("postgresql://a@b/c", "redis://r:1/0")


def test_a_score_reads_the_same_in_a_sentence_and_on_a_pill():
    from app.core.format import score

    # halves up, as the SPA's formatScore: never 44 in one place and 43 beside it
    assert [score(x) for x in (43.5, 43.49, 42.5, 0.4, 99.5)] == ["44", "43", "43", "0", "100"]
