"""The deployment files: what `docker compose` and Caddy will read (no Docker here to run them)."""

from __future__ import annotations

from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def test_compose_runs_postgres_two_identical_workers_and_a_tls_proxy() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))
    services = compose["services"]
    assert set(services) == {"postgres", "worker1", "worker2", "proxy"}
    assert services["worker1"] == services["worker2"]  # identical: any one may be lost
    env = services["worker1"]["environment"]
    assert env["CLUSTERBOT_DATABASE_URL"].startswith("postgresql://clusterbot:${POSTGRES_PASSWORD")
    assert env["TELEGRAM_WEBHOOK_URL"] == "https://${DOMAIN:?set DOMAIN}/telegram"
    assert services["worker1"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert {"80:80", "443:443"} <= set(services["proxy"]["ports"])
    caddy = (DEPLOY / "Caddyfile").read_text("utf-8")
    for upstream in ("worker1:8443 worker2:8443", "worker1:3000 worker2:3000"):
        assert upstream in caddy  # the webhook and Slack's HTTP mode reach both workers
    # The web view: served by every worker, its links pointing at the proxy's address.
    assert env["CLUSTERBOT_WEB_PORT"] == "8080"
    assert env["CLUSTERBOT_WEB_HOST"] == "0.0.0.0"  # noqa: S104 - inside the container
    assert env["CLUSTERBOT_PUBLIC_URL"] == "https://${DOMAIN:?set DOMAIN}"
    assert "@web path /report/* /panel /panel/* /static/*" in caddy
    assert "worker1:8080 worker2:8080" in caddy
    assert "health_uri /healthz" in caddy


def test_the_example_environment_names_every_variable_compose_needs() -> None:
    example = (DEPLOY / "env.example").read_text("utf-8")
    compose = (DEPLOY / "compose.yaml").read_text("utf-8")
    for name in ("DOMAIN", "POSTGRES_PASSWORD", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"):
        assert f"{name}=" in example and f"${{{name}" in compose
