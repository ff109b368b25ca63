"""The running annotation servers the ``servers`` tests talk to, found through the environment.

`scripts/annotation-servers start` starts them and writes the settings to source. Without them the
tests are skipped, saying so; with ``MINING_REQUIRE_SERVERS=1`` (CI's server step) that is a failure,
so that CI never passes by testing nothing.
"""

from __future__ import annotations

import os
import uuid
from importlib import import_module

import pytest

from mining.annotate.settings import Server, server_settings
from mining.errors import UsageError

REQUIRE = "MINING_REQUIRE_SERVERS"


def _missing(reason: str):
    if os.environ.get(REQUIRE, "") == "1":
        pytest.fail(f"{reason} ({REQUIRE}=1)")
    pytest.skip(reason)


def _server(tool: str, module: str) -> Server:
    try:
        server = server_settings(tool)
    except UsageError as e:
        _missing(f"{e}: start the servers with scripts/annotation-servers start and source the env file it writes")
    try:
        import_module(module)
    except ImportError:
        _missing(f"the client {module} is not installed: pip install -e '.[annotate]'")
    return server


@pytest.fixture(scope="session")
def labelstudio_server() -> Server:
    return _server("labelstudio", "label_studio_sdk")


@pytest.fixture(scope="session")
def doccano_server() -> Server:
    return _server("doccano", "requests")


@pytest.fixture
def project_name() -> str:
    """A project of its own for each test: the servers keep what earlier tests (and runs) pushed."""
    return f"mining-test-{uuid.uuid4().hex[:10]}"
