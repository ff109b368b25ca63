"""The HTML page and the terminal table: structure, escaping, fidelity to the text, and one row per unit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from mining.corpora import load_corpus
from mining.errors import CorpusError
from mining.label.render import to_html, to_table
from mining.schema import UNIT_LABELS, Document, Relation, Unit

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter() if n.tag == tag and (cls is None or cls in n.classes)]

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text(self, skip: str | None = None) -> str:
        """The text below this node, leaving out elements of class ``skip``."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif skip is None or skip not in child.classes:
                parts.append(child.text(skip))
        return "".join(parts)


class TreeBuilder(HTMLParser):
    """A small DOM from html.parser; fails on tags that are not closed in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def squash(text: str) -> str:
    return " ".join(text.split())


def labels_of(section: Node) -> list[Node]:
    """The unit labels of a section: one per unit fragment (continuations left out)."""
    return [n for n in section.find_all("span", "unit") if "data-continued" not in n.attrs]


@pytest.fixture(scope="module")
def news() -> list[Document]:
    docs = [d for d in load_corpus("sample") if d.id.startswith("news-")]
    assert len(docs) >= 8
    return docs


@pytest.fixture(scope="module")
def news_page(news) -> Node:
    return parse(to_html(news, title="news"))


def hand_built() -> Document:
    """Two paragraphs, a discontinuous unit, overlapping units, a unit starting mid-word, markup in the text."""
    text = ("Cities should ban cars <script>alert(1)</script> from the centre.\n"
            "Air is cleaner without cars, and streets are safer, says Dr. O'Neil & co.\n\n"
            "Shops, however, would lose customers.")

    def at(s: str) -> tuple[int, int]:
        start = text.index(s)
        return start, start + len(s)

    (a1, b1), (a2, b2) = at("Cities should ban cars"), at("from the centre")
    units = [
        Unit("T1", a1, b2, f"{text[a1:b1]} {text[a2:b2]}", "major_claim", stance="for", holder="author",
             fragments=[(a1, b1), (a2, b2)]),
        Unit("T2", *at("Air is cleaner without cars, and streets are safer"), "", "premise",
             holder="Dr. <b>O'Neil</b>"),
        Unit("T3", *at("Air is cleaner"), "", "claim", stance="against", holder="Dr. <b>O'Neil</b>"),
        Unit("T4", *at("hops, however, would lose customers"), "", "claim", stance="against",
             holder="shop owners"),
    ]
    relations = [Relation("R1", "T2", "T1", "support"), Relation("R2", "T4", "T1", "attack")]
    return Document("hand <1>", text, paragraphs=[(0, text.index("\n\n")), (text.index("Shops"), len(text))],
                    units=units, relations=relations)


def test_html_has_one_section_per_document(news, news_page):
    sections = news_page.find_all("section", "document")
    assert [s.attrs["data-id"] for s in sections] == [d.id for d in news]
    assert [squash(s.find_all("h2")[0].text()) for s in sections] == [d.id for d in news]


def test_html_labels_every_unit_with_label_stance_and_holder(news, news_page):
    for doc, section in zip(news, news_page.find_all("section", "document")):
        labels = labels_of(section)
        assert len(labels) == sum(len(u.spans()) for u in doc.units), doc.id
        by_id = {n.attrs["data-unit-id"]: n for n in labels}
        for unit in doc.units:
            node = by_id[unit.id]
            assert node.attrs["data-label"] == unit.label
            assert node.attrs["data-stance"] == (unit.stance or "")
            assert node.attrs["data-holder"] == unit.holder
            # Stance and holder are visible in the label, not only in attributes.
            caption = squash(node.text())
            assert unit.holder in caption and unit.label in caption
            assert unit.stance is None or unit.stance in caption


def test_html_lists_every_relation_with_its_label(news, news_page):
    for doc, section in zip(news, news_page.find_all("section", "document")):
        items = section.find_all("li", "relation")
        got = [(li.attrs["data-source"], li.attrs["data-target"], li.attrs["data-label"]) for li in items]
        assert sorted(got) == sorted((r.source, r.target, r.label) for r in doc.relations), doc.id
        for li in items:
            assert f"—{li.attrs['data-label']}→" in li.text()
            assert squash(li.text()).startswith(li.attrs["data-source"])


def test_html_puts_each_relation_beside_the_paragraph_where_its_source_starts():
    doc = hand_built()
    section = parse(to_html([doc])).find_all("section", "document")[0]
    rows = section.find_all("div", "row")
    assert len(rows) == len(doc.paragraphs)
    beside = [[li.attrs["data-id"] for li in row.find_all("li", "relation")] for row in rows]
    assert beside == [["R1"], ["R2"]]  # R1 from T2 (first paragraph), R2 from T4 (second)
    for row in rows:
        tagged = {n.attrs["data-unit-id"] for n in labels_of(row)}
        assert {li.attrs["data-source"] for li in row.find_all("li", "relation")} <= tagged
        # Each relation can be stepped to with Tab, which highlights its units as hovering does.
        assert all(li.attrs.get("tabindex") == "0" for li in row.find_all("li", "relation"))


def test_html_marks_every_underline_and_tag_with_its_unit():
    doc = hand_built()
    section = parse(to_html([doc])).find_all("section", "document")[0]
    tags = section.find_all("span", "tag")
    owners = [n.attrs["data-unit-id"] for t in tags for n in t.find_all("span", "unit")]
    assert [t.attrs["data-of"] for t in tags] == owners and len(owners) == len(tags)
    underlined = {s.attrs["data-of"] for s in section.find_all("span", "slice")}
    assert underlined == {u.id for u in doc.units}
    # T2 and T3 overlap: "Air" carries both underlines.
    air = next(t for t in section.find_all("span", "token") if t.text(skip="tag").strip() == "Air")
    assert sorted(s.attrs["data-of"] for s in air.find_all("span", "slice")) == ["T2", "T2", "T3", "T3"]


def test_html_linking_rules_name_each_relation_and_cannot_break_out_of_the_style():
    text = "Cars are loud. So ban them."
    odd = 'T"1</style><b>'
    doc = Document("d", text, units=[Unit(odd, 0, 13, text[:13], "premise"), Unit("T2", 18, 26, text[18:26], "claim")],
                   relations=[Relation("R<1>", odd, "T2", "support")])
    page = to_html([doc])
    style = page[page.index("<style>"):page.index("</style>")]
    assert "</" not in style[1:] and "<b>" not in style
    assert '.relation[data-id="R\\3c 1\\3e "]:is(:hover, :focus)' in style
    assert '.tag[data-of="T\\22 1\\3c /style\\3e \\3c b\\3e "]' in style
    assert not parse(page).find_all("b")


def test_html_shows_the_text_exactly_once_per_paragraph(news, news_page):
    # Without the labels, the highlighted text reads as the document: no dropped words and no space
    # added before punctuation (displaCy adds one after every token unless we stop it).
    for doc, section in zip(news, news_page.find_all("section", "document")):
        paragraphs = section.find_all("div", "paragraph")
        assert len(paragraphs) == len(doc.paragraphs), doc.id
        for node, (start, end) in zip(paragraphs, doc.paragraphs):
            assert squash(node.text(skip="unit")) == squash(doc.text[start:end])


def test_html_has_a_legend_of_unit_labels(news_page):
    legend = news_page.find_all("ul", "legend")
    assert len(legend) == 1
    items = [li.attrs["data-label"] for li in legend[0].find_all("li") if "data-label" in li.attrs]
    assert items == list(UNIT_LABELS)


def test_html_is_self_contained(news):
    page = to_html(news)
    lowered = page.lower()
    for needle in ("<script", "<link", "src=", "http", "url(", "@import", "@font-face"):
        assert needle not in lowered, needle
    assert "<style>" in page


def test_html_escapes_document_text_ids_and_holders():
    doc = hand_built()
    page = to_html([doc], title="<i>title</i>")
    assert "<script" not in page.lower() and "<b>" not in page and "<i>" not in page
    tree = parse(page)
    assert not tree.find_all("script") and not tree.find_all("b") and not tree.find_all("i")
    section = tree.find_all("section", "document")[0]
    assert section.attrs["data-id"] == "hand <1>"
    assert "<script>alert(1)</script>" in section.text()
    assert {n.attrs["data-holder"] for n in labels_of(section)} == {"author", "Dr. <b>O'Neil</b>", "shop owners"}
    assert squash(tree.find_all("title")[0].text()) == "<i>title</i>"


def test_html_draws_one_label_per_fragment_and_widens_to_whole_tokens():
    doc = hand_built()
    section = parse(to_html([doc])).find_all("section", "document")[0]
    labels = labels_of(section)
    assert sorted((n.attrs["data-unit-id"], n.attrs["data-fragment"]) for n in labels) == [
        ("T1", "0"), ("T1", "1"), ("T2", "0"), ("T3", "0"), ("T4", "0")]
    # Both T1 fragments share label and colour; T2 and T3 overlap and are both drawn.
    assert {n.attrs["data-label"] for n in labels if n.attrs["data-unit-id"] == "T1"} == {"major_claim"}
    # T4 starts inside "Shops": the highlight covers the whole word.
    tokens = [n for n in section.find_all("span", "token") if any(u.attrs.get("data-unit-id") == "T4"
                                                                   for u in n.find_all("span", "unit"))]
    assert [squash(t.text(skip="unit")) for t in tokens] == ["Shops"]
    # The first paragraph has two lines, drawn one below the other.
    paragraphs = [[squash(line.text(skip="unit")) for line in p.find_all("div", "spans")]
                  for p in section.find_all("div", "paragraph")]
    assert paragraphs == [doc.text[a:b].split("\n") for a, b in doc.paragraphs]


def test_html_keeps_line_breaks_and_continues_units_over_them():
    text = "First line starts a claim\nthat ends on the second line. Done."
    end = text.index(" Done")
    doc = Document("lines", text, units=[Unit("T1", 6, end, text[6:end], "claim", stance="for")])
    section = parse(to_html([doc])).find_all("section", "document")[0]
    lines = section.find_all("div", "spans")
    assert [squash(n.text(skip="unit")) for n in lines] == ["First line starts a claim",
                                                              "that ends on the second line. Done."]
    units = section.find_all("span", "unit")
    assert [n.attrs.get("data-continued") for n in units] == [None, "true"]
    assert {n.attrs["data-holder"] for n in units} == {""}


def test_html_renders_empty_documents_and_documents_without_units():
    docs = [Document("empty", ""), Document("bare", "No units here.\nA second line.")]
    tree = parse(to_html(docs))
    sections = tree.find_all("section", "document")
    assert [s.attrs["data-id"] for s in sections] == ["empty", "bare"]
    assert not tree.find_all("span", "unit") and not tree.find_all("li", "relation")
    assert "Empty document." in sections[0].text()
    assert [squash(n.text()) for n in sections[1].find_all("div", "spans")] == ["No units here.", "A second line."]
    assert parse(to_html([])).find_all("section") == []


@pytest.mark.parametrize("broken", [
    Document("d", "abc", units=[Unit("T1", 1, 9, "bc", "claim")]),
    Document("d", "a   b", units=[Unit("T1", 1, 4, "   ", "claim")]),
    Document("d", "abc", units=[Unit("T1", 0, 3, "abc", "claim")],
             relations=[Relation("R1", "T1", "T9", "support")]),
    Document("d", "a\x00b"),
], ids=["outside-text", "whitespace-only", "dangling-relation", "nul"])
def test_html_rejects_what_it_cannot_show(broken):
    # the project's error, which `mining label --format html` words as one line, not a traceback
    with pytest.raises(CorpusError, match=r"^<input> \[d\]: .*; the page is not written") as e:
        to_html([broken])
    assert e.value.item == "d"


def table_rows(table: str, docs: list[Document]) -> list[str]:
    ids = tuple(f"{d.id} " for d in docs)
    return [line for line in table.splitlines() if line.startswith(ids) and not line.startswith(tuple(
        f"{d.id}:" for d in docs))]


def test_table_has_one_row_per_unit_with_holder_and_stance(news):
    table = to_table(news, width=160)
    rows = table_rows(table, news)
    assert len(rows) == sum(len(d.units) for d in news)
    for doc in news:
        doc_rows = [r for r in rows if r.split()[0] == doc.id]
        assert len(doc_rows) == len(doc.units)
        for unit in doc.units:
            row = next(r for r in doc_rows if re.search(rf"\s{unit.id}\s", r))
            assert unit.holder in row and f" {unit.stance or '-'} " in row and f" {unit.label} " in row
        # Grouped by holder within the document.
        holders = [next(u.holder for u in doc.units if re.search(rf"\s{u.id}\s", r)) for r in doc_rows]
        assert holders == sorted(holders, key=str.casefold)


def test_table_fits_the_width_and_shortens_unit_text(news):
    table = to_table(news, width=80)
    assert all(len(line) <= 80 for line in table.splitlines())
    assert "…" in table


def test_table_summarises_each_document(news):
    table = to_table(news[:1], width=200)
    summary = table.splitlines()[0]
    doc = news[0]
    assert summary.startswith(f"{doc.id}: {len(doc.units)} units (")
    for holder in {u.holder for u in doc.units}:
        assert holder in summary
    for label in {u.label for u in doc.units}:
        assert f"{label} {sum(u.label == label for u in doc.units)}" in summary


def test_table_is_plain_text_and_marks_missing_stance():
    doc = hand_built()
    table = to_table([doc, Document("empty", "")], width=100)
    assert "\x1b" not in table
    row = next(r for r in table.splitlines() if " T2 " in r)
    assert row.split("  ")[0] == "hand <1>" and " - " in row
    assert "empty: 0 units; 0 holders: -" in table


def test_tsv_keeps_its_columns_when_an_id_or_a_holder_holds_a_tab():
    """A JSONL id may hold a tab or a line break: the row had nine cells, every one after it shifted."""
    from mining.label.render import to_tsv

    doc = Document(id="a\tb\nc", text="Taxes are bad.", units=[Unit("T1", 0, 13, "Taxes are bad", "claim",
                                                                    holder="Ana\tRuiz"),
                                                               Unit("unit\ttwo", 0, 5, "Taxes", "my\nclaim")])
    rows = [row.split("\t") for row in to_tsv([doc]).split("\n")]
    assert [len(row) for row in rows] == [8, 8, 8]
    assert rows[1][:2] == ["a b c", "-"] and rows[1][3:5] == ["my claim", "unit two"]  # a unit read from JSONL
    assert rows[2][:2] == ["a b c", "Ana Ruiz"] and rows[2][-1] == "Taxes are bad"


def test_a_document_with_no_unit_keeps_a_row_in_the_tsv():
    """It vanished from the file, though the command said it had labelled it."""
    from mining.label.render import to_tsv

    docs = [Document(id="none", text="Blue."),
            Document(id="one", text="Taxes are bad.", units=[Unit("T1", 0, 13, "Taxes are bad", "claim")])]
    rows = [row.split("\t") for row in to_tsv(docs).split("\n")]
    assert [row[0] for row in rows] == ["doc", "none", "one"] and {len(row) for row in rows} == {8}
    assert rows[1][1:] == ["-"] * 6 + [""]
