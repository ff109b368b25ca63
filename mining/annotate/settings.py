"""Where an annotation server is and who we are on it: options, then the environment; secrets only from it."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType
from urllib.parse import urlsplit, urlunsplit

from mining.errors import ServerError, SetupError, UsageError, shortened

EXTRA = "annotate"  # pip install 'mining[annotate]'
# tool -> setting -> environment variable
ENVIRONMENT = {
    "labelstudio": {"url": "LABEL_STUDIO_URL", "token": "LABEL_STUDIO_API_KEY"},
    "doccano": {"url": "DOCCANO_URL", "token": "DOCCANO_TOKEN", "username": "DOCCANO_USERNAME",
                "password": "DOCCANO_PASSWORD"},
}
NAMES = {"labelstudio": "Label Studio", "doccano": "doccano"}


@dataclass(frozen=True)
class Server:
    """One server: its tool, base URL and credentials (a token, or for doccano a user and password)."""

    tool: str
    url: str
    token: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def shown(self) -> str:
        """The URL as messages and files show it: without a ``user:password@`` in it."""
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))

    @property
    def name(self) -> str:
        """How messages name it: ``Label Studio at http://...``."""
        return f"{NAMES[self.tool]} at {self.shown}"


def server_settings(tool: str, url: str | None = None, environ: Mapping[str, str] | None = None) -> Server:
    """The server of ``tool``: ``url`` or its environment variable, and the credentials from the environment.

    Raises
    ------
    UsageError
        When the URL or the credentials are missing; the message names the variables to set.
    """
    if tool not in ENVIRONMENT:
        raise UsageError(f"unknown annotation tool {tool!r} (known: {', '.join(ENVIRONMENT)})")
    env = os.environ if environ is None else environ
    names = ENVIRONMENT[tool]
    url = url or env.get(names["url"])
    if not url:
        raise UsageError(f"no {NAMES[tool]} server: pass --url or set {names['url']}")
    if not url.lower().startswith(("http://", "https://")):
        # the clients' own errors ("UnsupportedProtocol", "InvalidSchema") read as a server that is down
        hint = "" if "://" in url else f": give http://{url}"
        raise UsageError(f"{NAMES[tool]} server {url!r} (--url or {names['url']}) is not an http:// or https:// "
                         f"address{hint}")
    server = Server(tool, url.rstrip("/"), token=env.get(names["token"]) or None,
                    username=env.get(names.get("username", ""), "") or None,
                    password=env.get(names.get("password", ""), "") or None)
    if tool == "labelstudio" and server.token is None:
        raise UsageError(f"no Label Studio API token: set {names['token']} (Account & Settings > Access Token)")
    if tool == "doccano" and server.token is None and not (server.username and server.password):
        raise UsageError(f"no doccano credentials: set {names['username']} and {names['password']} "
                         f"(or {names['token']})")
    return server


def refusal(server: Server, what: str, status: int, body: object, hint: str = "") -> ServerError:
    """One line for a request that failed with HTTP ``status``: the start of the answer's ``body`` and ``hint``. A web
    page is named by its title: where the API would have answered (HTTP 2xx, 3xx, 404, 405), the server at the URL is
    not the tool's (another tool's page); otherwise the server or a proxy before it failed, or asks to sign in."""
    page = web_page(body)
    if page is None:
        return ServerError(f"{server.name}: could not {what}: HTTP {status} {shorten(body)}{hint}")
    tool = NAMES[server.tool]
    if status < 400 or status in (404, 405):
        return ServerError(f"{server.name}: could not {what}: HTTP {status} with a web page{page}, not {tool}'s API: "
                           f"is {server.shown} a {tool} server?")
    failed = "; the server, or a proxy before it, failed: see its log" if status >= 500 else ""
    return ServerError(f"{server.name}: could not {what}: HTTP {status} with a web page{page}{failed}{hint}")


def not_the_api(server: Server, what: str, answer: object) -> ServerError:
    """One line for an answer of a shape the tool's API never gives (cut short, a list where a page belongs, an item
    without its fields): the server at the URL, or a proxy before it, is not the tool's."""
    return ServerError(f"{server.name}: could not {what}: its answer is not {NAMES[server.tool]}'s API's: "
                       f"{shorten(answer, 120)}; is {server.shown} a {NAMES[server.tool]} server?")


def web_page(body: object) -> str | None:
    """`` titled 'TITLE'`` (or ``""`` without a title) when ``body`` is an HTML page, else None."""
    text = " ".join(str(body).split())
    if not text.lower().startswith(("<!doctype html", "<html")):
        return None
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE)
    return f" titled {html.unescape(title.group(1)).strip()[:80]!r}" if title else ""


def shorten(text: object, limit: int = 300) -> str:
    """``text`` on one line, cut to ``limit`` characters."""
    return shortened(" ".join(str(text).split()), limit)


def require(module: str, package: str, tool: str) -> ModuleType:
    """Import ``module`` of the optional extra, or say in one line how to install it."""
    try:
        return import_module(module)
    except ImportError:
        raise SetupError(f"{NAMES[tool]} needs the Python package {package}, which is not installed: "
                         f"pip install 'mining[{EXTRA}]'") from None
