"""Docker is not available on development machines; the compose file is validated by parsing."""

from __future__ import annotations

import yaml

from app.core.config import REPO_ROOT


def test_compose_file_describes_the_stack():
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "api", "worker"}
    assert services["api"]["command"][:2] == ["tempo", "serve"]
    assert services["worker"]["command"] == ["tempo", "worker"]
    assert services["migrate"]["command"] == ["tempo", "migrate"]
    for name in ("api", "worker", "migrate"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://") and env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["TEMPO_ENVIRONMENT"] == "production"
    # Workers carry no ports or container names, so `--scale worker=N` works.
    assert "ports" not in services["worker"] and "container_name" not in services["worker"]
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert (REPO_ROOT / "Dockerfile").exists()
