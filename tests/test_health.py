"""What /healthz tells an operator: database reachable, and anything degrading the site."""

import pytest

from careatlas.core import health

pytestmark = pytest.mark.django_db


def test_a_healthy_site_has_no_warnings(patient):
    body = patient.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["warnings"] == []


def test_a_registered_warning_marks_the_site_degraded_but_serving(patient, monkeypatch):
    monkeypatch.setattr(health, "_checks", [])
    health.register(lambda: "An NPPES bulk load is unfinished: run import_nppes again.")
    health.register(lambda: None)
    response = patient.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["warnings"] == ["An NPPES bulk load is unfinished: run import_nppes again."]
