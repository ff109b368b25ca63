"""An answer of another shape than the tool's API gives, from whatever listens at the URL, is one line naming the server
and the request, not a traceback; and a listing that never ends (a server that ignores the page asked for) is stopped.

The server here is a few lines of ``http.server`` answering every request with one body: no tool's server can be made
to answer so. The clients are the real ones, so these run in CI's server step (``-m servers``), where they are
installed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.helpers import run_mining as mining

pytestmark = pytest.mark.servers

BODIES = {
    "cut short": b'{"results": [1, 2',
    "a list of strangers": json.dumps([{"id": 1, "title": "P"}]).encode(),
    "the same page for ever": json.dumps({"results": [{"id": 7, "title": "x", "name": "x"}], "count": 10 ** 6,
                                          "next": "http://elsewhere/?page=2"}).encode(),
    "items without ids": json.dumps({"results": [{"title": "P", "name": "P"}], "count": 10 ** 6,
                                     "next": "http://elsewhere/?page=2"}).encode(),
}


@pytest.fixture
def odd_server(request) -> Iterator[str]:
    body = BODIES[request.param]

    class Answer(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PATCH = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.mark.parametrize("odd_server", list(BODIES), indirect=True)
@pytest.mark.parametrize("tool, module, token", [("doccano", "requests", "DOCCANO_TOKEN"),
                                                 ("labelstudio", "label_studio_sdk", "LABEL_STUDIO_API_KEY")])
def test_an_odd_answer_is_one_line(odd_server: str, tool: str, module: str, token: str, tmp_path: Path):
    pytest.importorskip(module)
    out = tmp_path / "pulled.jsonl"
    done = mining("annotate", "pull", tool, "--project", "P", "--url", odd_server, "-o", str(out), env={token: "x"})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert odd_server in lines[0] and "Traceback" not in done.stderr and not out.exists()


def test_a_type_error_of_minings_own_keeps_its_traceback():
    """Only the SDK's building of its models from an answer is read as an odd answer: a bug of ours, or a call of the
    SDK with wrong arguments, raised inside the same block, stays a TypeError."""
    pytest.importorskip("label_studio_sdk")
    from mining.annotate.labelstudio import _answers
    from mining.annotate.settings import Server

    with pytest.raises(TypeError, match="object of type 'NoneType' has no len"):
        with _answers(Server("labelstudio", "http://127.0.0.1:9", token="x"), "list the projects"):
            len(None)
