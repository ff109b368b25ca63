"""`mining annotate` without a server: what it needs is asked for in one line, before any work is done."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mining.annotate.settings import server_settings
from mining.errors import UsageError
from tests.helpers import run_mining as mining

NO_SERVERS = {"LABEL_STUDIO_URL": "", "LABEL_STUDIO_API_KEY": "", "DOCCANO_URL": "", "DOCCANO_TOKEN": "",
              "DOCCANO_USERNAME": "", "DOCCANO_PASSWORD": ""}


@pytest.fixture
def no_servers(monkeypatch):
    for name in NO_SERVERS:
        monkeypatch.delenv(name, raising=False)


def one_line_error(done) -> str:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


@pytest.mark.parametrize("tool, variable", [("labelstudio", "LABEL_STUDIO_URL"), ("doccano", "DOCCANO_URL")])
def test_without_a_server_the_variable_to_set_is_named(no_servers, tmp_path: Path, tool, variable):
    error = one_line_error(mining("annotate", "pull", tool, "--project", "p", "-o", str(tmp_path / "out.jsonl")))
    assert f"pass --url or set {variable}" in error
    assert not (tmp_path / "out.jsonl").exists()


def test_credentials_come_from_the_environment_only(no_servers):
    with pytest.raises(UsageError, match="set LABEL_STUDIO_API_KEY"):
        server_settings("labelstudio", "http://127.0.0.1:9")
    with pytest.raises(UsageError, match="set DOCCANO_USERNAME and DOCCANO_PASSWORD"):
        server_settings("doccano", environ={"DOCCANO_URL": "http://127.0.0.1:9", "DOCCANO_USERNAME": "ann"})
    server = server_settings("labelstudio",
                             environ={"LABEL_STUDIO_URL": "http://h:1/", "LABEL_STUDIO_API_KEY": "s3cret"})
    assert server.url == "http://h:1" and "s3cret" not in repr(server)  # never printed by accident


def test_a_missing_client_names_the_extra(monkeypatch, tmp_path: Path):
    monkeypatch.setitem(sys.modules, "label_studio_sdk", None)  # as if not installed: import fails
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "token-123")
    error = one_line_error(mining("annotate", "pull", "labelstudio", "--project", "p", "-o", str(tmp_path / "o.jsonl")))
    assert error == ("error: Label Studio needs the Python package label-studio-sdk, which is not installed: "
                     "pip install 'mining[annotate]'")


def test_an_unreachable_server_is_one_line(monkeypatch, tmp_path: Path):
    pytest.importorskip("requests")
    monkeypatch.setenv("DOCCANO_URL", "http://127.0.0.1:9")  # the discard port: nothing listens
    monkeypatch.setenv("DOCCANO_TOKEN", "token-123")
    (tmp_path / "a.txt").write_text("Cats rule.", encoding="utf-8")  # read first: a text that cannot be read
    error = one_line_error(mining("annotate", "push", "doccano", "--project", "p", str(tmp_path)))  # is named first
    assert error.startswith("error: doccano at http://127.0.0.1:9: could not list the projects: ")
    assert error.endswith("(is it running?)")


def test_rank_and_top_need_a_model(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("DOCCANO_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("DOCCANO_TOKEN", "token-123")
    error = one_line_error(mining("annotate", "push", "doccano", "--project", "p", "--top", "3", str(tmp_path)))
    assert "--rank, --top and --topic apply to the model's labelling: give --model RUN_DIR" in error


def test_pull_refuses_a_folder_for_its_jsonl_before_asking_the_server(monkeypatch, tmp_path: Path):
    """An empty folder passed the output check: the server was asked first, and the write failed after the pull."""
    monkeypatch.setenv("DOCCANO_URL", "http://127.0.0.1:9")  # the discard port: nothing listens
    monkeypatch.setenv("DOCCANO_TOKEN", "token-123")
    (tmp_path / "out").mkdir()
    error = one_line_error(mining("annotate", "pull", "doccano", "--project", "p", "-o", str(tmp_path / "out")))
    assert "it is a folder, and this output is one file" in error
    assert not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("tool", ["labelstudio", "doccano"])
def test_a_project_name_with_blanks_at_its_ends_is_refused_before_the_server(monkeypatch, tmp_path: Path, tool):
    """Both tools strip the name of a project they create: `--project " round-1 "` made a project 'round-1' at
    every push (the next push did not find it under the name given) and pull said there was none."""
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")  # the discard port: nothing listens
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "token-123")
    monkeypatch.setenv("DOCCANO_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("DOCCANO_TOKEN", "token-123")
    (tmp_path / "a.txt").write_text("Cats rule.", encoding="utf-8")
    for command in (["push", tool, str(tmp_path / "a.txt")], ["pull", tool, "-o", str(tmp_path / "o.jsonl")]):
        error = one_line_error(mining("annotate", *command, "--project", " round-1 "))
        assert "project name ' round-1 ' begins or ends with blanks" in error and "give 'round-1'" in error


@pytest.mark.parametrize("tool, variable", [("labelstudio", "LABEL_STUDIO_URL"), ("doccano", "DOCCANO_URL")])
def test_a_server_address_without_http_is_named_not_taken_for_a_server_that_is_down(monkeypatch, tmp_path: Path,
                                                                                    tool, variable):
    """`--url 127.0.0.1:18080` failed in the client with "UnsupportedProtocol ... (is it running?)"."""
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "token-123")
    monkeypatch.setenv("DOCCANO_TOKEN", "token-123")
    error = one_line_error(mining("annotate", "pull", tool, "--project", "p", "--url", "127.0.0.1:9",
                                  "-o", str(tmp_path / "o.jsonl")))
    assert f"server '127.0.0.1:9' (--url or {variable}) is not an http:// or https:// address: give " \
           "http://127.0.0.1:9" in error


def test_a_password_in_the_server_url_is_never_shown(monkeypatch, tmp_path: Path):
    pytest.importorskip("requests")
    monkeypatch.setenv("DOCCANO_URL", "http://admin:hunter2@127.0.0.1:9")
    monkeypatch.setenv("DOCCANO_TOKEN", "token-123")
    (tmp_path / "a.txt").write_text("Cats rule.", encoding="utf-8")
    error = one_line_error(mining("annotate", "push", "doccano", "--project", "p", str(tmp_path)))
    assert error.startswith("error: doccano at http://127.0.0.1:9: could not") and "hunter2" not in error, error


@pytest.mark.parametrize("status, hint, message", [
    (200, "", "HTTP 200 with a web page titled 'Sign in & go', not doccano's API: is http://h:1 a doccano server?"),
    (404, "", "HTTP 404 with a web page titled 'Sign in & go', not doccano's API: is http://h:1 a doccano server?"),
    (500, "", "HTTP 500 with a web page titled 'Sign in & go'; the server, or a proxy before it, failed: see its log"),
    (401, "; check the token", "HTTP 401 with a web page titled 'Sign in & go'; check the token"),
])
def test_a_web_page_is_named_by_its_title_and_its_status(status: int, hint: str, message: str):
    """A page where the API answers (2xx, 404) is another tool's; a server error's page is the server failing, and
    a sign-in page keeps the credentials' hint."""
    from mining.annotate.settings import Server, refusal

    page = "<!DOCTYPE html>\n<html><head><title>Sign in &amp; go</title></head><body>...</body></html>"
    assert str(refusal(Server("doccano", "http://h:1"), "read", status, page, hint)) == \
        f"doccano at http://h:1: could not read: {message}"
    assert str(refusal(Server("doccano", "http://h:1"), "read", 400, '{"detail": "bad"}', hint)).endswith(
        f'HTTP 400 {{"detail": "bad"}}{hint}')
