"""The HTML page in a real browser: every unit and relation is visible, no tag covers the text, and pointing
at a relation lights up its two units.

One headless Chromium run lays out a page of labelled documents with ``layout_probe.js`` added to a copy
of it (the page itself has no script); the probe writes what it measured into the DOM, which
``--dump-dom`` returns. Without Chromium the test is skipped, except under ``CI=true``, where it fails
(``.ci/run`` installs Debian's ``chromium``), as the tests of the real corpora do.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mining.corpora import load_corpus
from mining.label.render import to_html
from mining.schema import Document, Unit
from tests.label.test_render import hand_built

pytestmark = pytest.mark.browser

PROBE = Path(__file__).with_name("layout_probe.js")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    """A Chromium to run headless: ``$MINING_CHROMIUM``, else the first of BROWSERS on the PATH."""
    if os.environ.get("MINING_CHROMIUM"):
        return os.environ["MINING_CHROMIUM"]
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


@pytest.fixture(scope="module")
def browser() -> str:
    path = find_browser()
    if path is None:
        message = "no headless Chromium found (apt-get install -y chromium, or set MINING_CHROMIUM)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def documents() -> list[Document]:
    """The sample news reports (real length, many units and relations), the hand-built document
    (overlapping, discontinuous and mid-word units, markup in the text) and a unit over a line break."""
    news = [d for d in load_corpus("sample") if d.id.startswith("news-")]
    text = "First line starts a claim\nthat ends on the second line. Done."
    end = text.index(" Done")
    lines = Document("lines", text, units=[Unit("T1", 6, end, text[6:end], "claim", stance="for")])
    return [*news, hand_built(), lines]


def measure(browser: str, page: str, tmp_path: Path, width: int = 1280) -> dict:
    """Lay ``page`` out in a ``width`` px wide window and return the probe's report."""
    assert "<script" not in page.lower()
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("</body>", f"<script>{PROBE.read_text(encoding='utf-8')}</script>\n</body>"),
                      encoding="utf-8")
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},900", "--hide-scrollbars",
         "--virtual-time-budget=5000", "--dump-dom", probed.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    found = re.search(r'<pre id="layout-report">(.*?)</pre>', done.stdout, re.S)
    assert found, f"no layout report (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


# A document whose tags the test pulls up onto their own text, so that the check is seen to fail.
BROKEN = Document("broken", "Taxes are bad for everyone.", units=[Unit("T1", 0, 13, "Taxes are bad", "claim")])


@pytest.fixture(scope="module")
def report(browser: str, tmp_path_factory) -> dict:
    """The probe's report on one page of documents() and BROKEN, from a single browser start."""
    docs = [*documents(), BROKEN]
    page = to_html(docs, title="browser check")
    page = page.replace("</style>", f"#doc-{len(docs) - 1} .tag {{ top: -40px !important; }}\n</style>")
    found = measure(browser, page, tmp_path_factory.mktemp("browser"))
    broken = f"tag {BROKEN.id} "
    found["broken"] = [p for p in found["problems"] if p.startswith(broken)]
    found["problems"] = [p for p in found["problems"] if not p.startswith(broken)]
    found["tags"] = [t for t in found["tags"] if t["doc"] != BROKEN.id]
    return found


def test_every_unit_fragment_has_a_visible_tag(report):
    docs = documents()
    expected = sorted((d.id, u.id, str(i)) for d in docs for u in d.units for i in range(len(u.spans())))
    tags = report["tags"]
    assert sorted((t["doc"], t["unit"], t["fragment"]) for t in tags if not t["continued"]) == expected
    assert [t for t in tags if not t["visible"]] == []
    assert report["underlines"] == 0, "underlines with no width or past the right edge"


def test_no_tag_covers_text_another_tag_or_a_relation(report):
    assert report["texts"] > 1000  # the probe did read the text
    assert report["problems"] == []


def test_every_relation_is_visible_beside_its_source_unit(report):
    docs = documents()
    assert sorted((r["doc"], r["id"]) for r in report["relations"]) == sorted(
        (d.id, r.id) for d in docs for r in d.relations)
    misplaced = [r for r in report["relations"]
                 if not (r["visible"] and r["same_row"] and r["right_of_text"] and r["beside"])]
    assert misplaced == []


def test_pointing_at_a_relation_highlights_exactly_its_two_units(report):
    ends = {(d.id, r.id): sorted({r.source, r.target}) for d in documents() for r in d.relations}
    for link in report["linking"]:
        where = (link["doc"], link["id"], "page focused" if link["page_focused"] else "page not focused")
        assert link["lit_before"] == 0, where
        assert link["ends_tokens"] > 0 and link["wrong_tokens"] == 0, where
        assert link["outlined"] == ends[where[:2]], where


def test_the_probe_finds_a_tag_over_the_text(report):
    """The check can fail: the tag of BROKEN, pulled up onto its own line of text, is reported."""
    assert report["broken"] and all(p.startswith("tag broken T1[0] covers text") for p in report["broken"])
