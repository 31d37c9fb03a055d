"""A workbench over a copy of the sample dossiers, for the route tests that need no other settings."""
from __future__ import annotations

import shutil
import warnings

import pytest

from tests.conftest import SAMPLES

warnings.filterwarnings("ignore", message=".*httpx.*")

from starlette.testclient import TestClient  # noqa: E402

from checker.web.app import make_app  # noqa: E402
from checker.web.workbench import Settings  # noqa: E402


@pytest.fixture
def client(tmp_path) -> TestClient:
    root = tmp_path / "dossiers"
    shutil.copytree(SAMPLES, root)
    settings = Settings((str(root),), str(tmp_path / "review" / "waivers.yaml"), "2026-06-30", jobs=1)
    client = TestClient(make_app(settings, {"testserver"}))  # server errors raise here
    client.get("/")  # the CSRF cookie
    return client
