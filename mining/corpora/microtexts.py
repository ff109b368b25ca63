"""Read arg-microtexts part 1 (Peldszus & Stede 2016) arggraph XML into Documents.

The full arggraph format may mark an EDU ``implicit="true"``: its wording is in the XML but not in the
``.txt``. Its ADU becomes an implicit unit (``Unit.implicit``, docs/corpora.md): a place in the graph,
no span.

An arggraph file declares no entity. One that does is refused before it is parsed: an entity expands (a few
hundred bytes of nested entities are gigabytes, "billion laughs") or names another file (``SYSTEM
"file:///etc/passwd"``), and neither is a microtext.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from mining.corpora.jsonl import utf8_text
from mining.errors import CorpusError
from mining.schema import IMPLICIT, Document, Relation, Unit, paragraphs_from_lines, text_at

# Edge types of corpus/arggraph.dtd. ``add`` takes the label of the edge it joins.
EDGE_LABELS = {"sup": "support", "exa": "support", "reb": "attack", "und": "attack"}
EDGE_TYPES = ("seg", "add", *EDGE_LABELS)
ROLES = {"pro": "proponent", "opp": "opponent"}
# Stance of a role towards the central claim: the opponent challenges it (Peldszus & Stede 2013).
ROLE_STANCES = {"proponent": "for", "opponent": "against"}
# The DTD allows pro/con/unclear; "none" is the name the corpus paper uses for texts without one.
TEXT_STANCES = ("pro", "con", "unclear", "none")


@dataclass(frozen=True)
class _Edge:
    id: str
    src: str
    trg: str
    type: str


def load(path: str | Path, *, language: str = "en") -> list[Document]:
    """Read every text of the corpus in one language.

    Parameters
    ----------
    path : str or Path
        Root of the corpus: the folder that holds ``corpus/<language>/*.xml`` and the ``.txt``
        file of the same name beside each.
    language : str, default="en"
        ``"en"`` (the professional translation) or ``"de"`` (the original German texts).

    Returns
    -------
    list of Document
        One per text, sorted by file name, with ``split=None``: the corpus has no official split
        and is used with cross-validation.

    Examples
    --------
    >>> docs = load("../shared/corpora/arg-microtexts")  # doctest: +SKIP
    >>> len(docs), docs[0].units[0].label  # doctest: +SKIP
    (112, 'premise')
    """
    folder = Path(path) / "corpus" / language
    files = sorted(folder.glob("*.xml"))
    if not files:
        raise CorpusError("no *.xml files found", file=folder)
    return [read_document(f, language=language) for f in files]


def _read_text(txt_path: Path, xml_path: Path) -> str:
    """The text of a microtext, its line ends read as "\\n" (the corpus's offsets count them so)."""
    try:
        return txt_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError(f"text file {txt_path.name} is missing", file=xml_path) from None
    except UnicodeDecodeError:
        utf8_text(txt_path.read_bytes(), txt_path, kind="a microtext")  # names the line and the byte
        raise


def read_document(xml_path: str | Path, *, language: str = "en") -> Document:
    """Read one arggraph ``.xml`` file and the ``.txt`` file beside it into a Document."""
    xml_path = Path(xml_path)
    txt_path = xml_path.with_suffix(".txt")
    data = xml_path.read_bytes()
    _refuse_entities(data, xml_path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise CorpusError(f"malformed XML: {e}", file=xml_path, line=e.position[0]) from None
    text = _read_text(txt_path, xml_path)
    if root.tag != "arggraph":
        raise CorpusError(f"root element is <{root.tag}>, expected <arggraph>", file=xml_path)
    doc_id = _required(root, "id", xml_path)
    stance = root.get("stance")
    if stance is not None and stance not in TEXT_STANCES:
        raise CorpusError(f"unknown text stance {stance!r}, expected one of {TEXT_STANCES}",
                          file=xml_path, item=doc_id)

    elements = _elements_by_id(root, xml_path)
    edu_spans = _locate_edus(root, text, xml_path, txt_path)
    edges = _edges(root, elements, xml_path)
    adus = {el.get("id"): el for el in root.findall("adu")}
    adu_edus = _adu_edus(adus, edges, elements, xml_path)

    central = [a for a in adus if not any(e.src == a and e.type != "seg" for e in edges.values())]
    if len(central) != 1:
        raise CorpusError(f"expected one central claim (ADU without outgoing edge), found {central}",
                          file=xml_path)

    implicit_text = _implicit_texts(root, xml_path)
    units = [_unit(adu_id, el, adu_edus[adu_id], edu_spans, text, central[0], implicit_text, xml_path)
             for adu_id, el in adus.items()]
    units.sort(key=lambda u: (u.start, u.end))
    relations = [_relation(e, edges, adus, xml_path) for e in edges.values() if e.type != "seg"]

    edu_adu = {edu: adu for adu, edus in adu_edus.items() for edu in edus}
    return Document(
        id=doc_id,
        text=text,
        paragraphs=paragraphs_from_lines(text),
        topic=root.get("topic_id"),
        split=None,
        metadata={
            "id": doc_id,
            "language": language,
            "stance": stance,
            "file": xml_path.name,
            # The EDU segmentation, for segmentation tasks and for mapping units back to the XML.
            "edus": [{"id": edu, "start": s, "end": e, "adu": edu_adu.get(edu),
                      **({"implicit": True} if edu in implicit_text else {})}
                     for edu, (s, e) in edu_spans.items()],
        },
        units=units,
        relations=relations,
    )


def _refuse_entities(data: bytes, xml_path: Path) -> None:
    """A CorpusError naming the line of the first entity ``data`` declares; malformed XML is left to the parser."""
    parser = expat.ParserCreate()

    def declared(name: str, is_parameter: bool, *_: object) -> None:
        raise CorpusError(f"the XML declares the {'parameter ' if is_parameter else ''}entity {name!r}: an arggraph "
                          "file declares none, and a declared entity is refused (it may expand to gigabytes, or "
                          "read another file)", file=xml_path, line=parser.CurrentLineNumber)

    parser.EntityDeclHandler = declared
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        pass


def _required(el: ET.Element, attr: str, xml_path: Path, item: str | None = None) -> str:
    value = el.get(attr)
    if value is None:
        raise CorpusError(f"<{el.tag}> has no {attr!r} attribute", file=xml_path, item=item)
    return value


def _elements_by_id(root: ET.Element, xml_path: Path) -> dict[str, ET.Element]:
    elements: dict[str, ET.Element] = {}
    for el in root:
        if el.tag not in ("edu", "joint", "adu", "edge"):
            raise CorpusError(f"unexpected element <{el.tag}>", file=xml_path, item=el.get("id"))
        el_id = _required(el, "id", xml_path)
        if el_id in elements:
            raise CorpusError("duplicate id", file=xml_path, item=el_id)
        elements[el_id] = el
        if el.tag == "adu" and el.get("type") not in ROLES:
            raise CorpusError(f"ADU type is {el.get('type')!r}, expected 'pro' or 'opp'",
                              file=xml_path, item=el_id)
    return elements


def _locate_edus(root: ET.Element, text: str, xml_path: Path, txt_path: Path) -> dict[str, tuple[int, int]]:
    """Character span of each EDU in ``text``, searched in document order.

    Whitespace may differ between the XML and the ``.txt`` file, so an EDU matches with any run of
    whitespace where it has one. Text outside every EDU must be whitespace: anything else means the
    two files disagree. An implicit EDU (``implicit="true"``) is not searched: its span is empty, at
    the end of the EDU before it (0 for the first).
    """
    spans: dict[str, tuple[int, int]] = {}
    pos = 0
    for edu in root.findall("edu"):
        edu_id = edu.get("id")
        words = (edu.text or "").split()
        if not words:
            raise CorpusError("EDU is empty", file=xml_path, item=edu_id)
        if _is_implicit(edu, xml_path):
            # Not in the text: it keeps the position where the XML places it, and no characters.
            spans[edu_id] = (pos, pos)
            continue
        match = re.compile(r"\s+".join(map(re.escape, words))).search(text, pos)
        if match is None:
            raise CorpusError(f"EDU text not found in {txt_path.name} after offset {pos}: "
                              f"{' '.join(words)[:60]!r}", file=xml_path, item=edu_id)
        _check_gap(text, pos, match.start(), txt_path, before=edu_id)
        spans[edu_id] = match.span()
        pos = match.end()
    _check_gap(text, pos, len(text), txt_path, before=None)
    return spans


def _implicit_texts(root: ET.Element, xml_path: Path) -> dict[str, str]:
    """The wording of each implicit EDU, by id, with its whitespace normalised."""
    return {edu.get("id"): " ".join((edu.text or "").split()) for edu in root.findall("edu")
            if _is_implicit(edu, xml_path)}


def _is_implicit(edu: ET.Element, xml_path: Path) -> bool:
    value = edu.get("implicit", "false")
    if value not in ("true", "false"):
        raise CorpusError(f"implicit is {value!r}, expected 'true' or 'false'", file=xml_path, item=edu.get("id"))
    return value == "true"


def _check_gap(text: str, start: int, end: int, txt_path: Path, *, before: str | None) -> None:
    gap = text[start:end]
    if gap.strip():
        offset = start + len(gap) - len(gap.lstrip())
        where = f"before EDU {before!r}" if before else "after the last EDU"
        raise CorpusError(f"text at offset {offset} {where} is in no EDU: {gap.strip()[:60]!r}",
                          file=txt_path, item=before)


def _edges(root: ET.Element, elements: dict[str, ET.Element], xml_path: Path) -> dict[str, _Edge]:
    edges = {}
    for el in root.findall("edge"):
        edge = _Edge(*(_required(el, a, xml_path, el.get("id")) for a in ("id", "src", "trg", "type")))
        if edge.type not in EDGE_TYPES:
            raise CorpusError(f"unknown edge type {edge.type!r}, expected one of {EDGE_TYPES}",
                              file=xml_path, item=edge.id)
        for end in (edge.src, edge.trg):
            if end not in elements:
                raise CorpusError(f"edge refers to unknown id {end!r}", file=xml_path, item=edge.id)
        src_tag, trg_tag = elements[edge.src].tag, elements[edge.trg].tag
        if edge.type == "seg":
            allowed = (src_tag, trg_tag) in {("edu", "adu"), ("edu", "joint"), ("joint", "adu")}
        elif edge.type == "und":
            allowed = src_tag == "adu" and trg_tag == "edge"
        elif edge.type == "add":
            # The DTD documents add as ADU->ADU; the corpus files point it at the joined edge.
            allowed = src_tag == "adu" and trg_tag in ("adu", "edge")
        else:
            allowed = src_tag == "adu" and trg_tag == "adu"
        if not allowed:
            raise CorpusError(f"{edge.type} edge cannot go from <{src_tag}> {edge.src!r} "
                              f"to <{trg_tag}> {edge.trg!r}", file=xml_path, item=edge.id)
        edges[edge.id] = edge
    return edges


def _adu_edus(adus: dict[str, ET.Element], edges: dict[str, _Edge], elements: dict[str, ET.Element],
              xml_path: Path) -> dict[str, list[str]]:
    """The EDU ids each ADU is grounded in, via seg edges (EDU->ADU, EDU->JOINT->ADU)."""
    seg_sources: dict[str, list[str]] = {}
    for e in edges.values():
        if e.type == "seg":
            seg_sources.setdefault(e.trg, []).append(e.src)

    def edus_of(node: str) -> Iterator[str]:
        for src in seg_sources.get(node, []):
            if elements[src].tag == "edu":
                yield src
            else:
                yield from edus_of(src)

    grounded = {}
    for adu_id in adus:
        edus = list(edus_of(adu_id))
        if not edus:
            raise CorpusError("ADU has no seg edge from an EDU", file=xml_path, item=adu_id)
        grounded[adu_id] = edus
    return grounded


def _unit(adu_id: str, el: ET.Element, edus: list[str], edu_spans: dict[str, tuple[int, int]],
          text: str, central: str, implicit_text: dict[str, str], xml_path: Path) -> Unit:
    role = ROLES[el.get("type")]
    found = [e for e in edus if e in implicit_text]
    if found and len(found) < len(edus):
        raise CorpusError(f"ADU joins implicit EDU {found[0]!r} with EDUs of the text; an ADU is either "
                          "implicit or in the text", file=xml_path, item=adu_id)
    if found:
        # An implicit ADU keeps its place in the graph, with its wording from the XML and no span.
        position = min(edu_spans[e][0] for e in edus)
        start, end, words, fragments = position, position, " ".join(implicit_text[e] for e in edus), []
    else:
        fragments = []
        for first, last in sorted(edu_spans[e] for e in edus):
            # EDUs separated only by whitespace form one continuous span.
            if fragments and not text[fragments[-1][1]:first].strip():
                fragments[-1] = (fragments[-1][0], max(last, fragments[-1][1]))
            else:
                fragments.append((first, last))
        start, end, words = fragments[0][0], fragments[-1][1], text_at(text, fragments)
    return Unit(
        id=adu_id,
        start=start,
        end=end,
        text=words,
        label="major_claim" if adu_id == central else "premise",
        stance=ROLE_STANCES[role],
        holder=role,
        attributes={"role": role, "central_claim": adu_id == central, **({IMPLICIT: True} if found else {})},
        fragments=fragments if len(fragments) > 1 else None,
    )


def _relation(edge: _Edge, edges: dict[str, _Edge], adus: dict[str, ET.Element], xml_path: Path) -> Relation:
    target, label, attributes = _resolve(edge, edges, adus, xml_path, seen=())
    return Relation(id=edge.id, source=edge.src, target=target, label=label,
                    attributes={"type": edge.type, **attributes})


def _resolve(edge: _Edge, edges: dict[str, _Edge], adus: dict[str, ET.Element], xml_path: Path,
             seen: tuple[str, ...]) -> tuple[str, str, dict]:
    """Target unit, label and extra attributes of an argumentative edge."""
    if edge.id in seen:
        raise CorpusError(f"cycle of add edges: {' -> '.join((*seen, edge.id))}", file=xml_path, item=edge.id)
    if edge.type in ("sup", "exa", "reb"):
        return edge.trg, EDGE_LABELS[edge.type], {}
    if edge.type == "und":
        # An undercutter attacks the inference of an edge; its nearest unit is that edge's source.
        target_edge = edges[edge.trg]
        if target_edge.type == "seg":
            raise CorpusError(f"und edge targets seg edge {target_edge.id!r}", file=xml_path, item=edge.id)
        return target_edge.src, "attack", {"target_edge": target_edge.id}
    # add: an additional premise of a linked argument joins the argument of its co-premise.
    if edge.trg in adus:
        outgoing = [e for e in edges.values() if e.src == edge.trg and e.type != "seg"]
        if len(outgoing) != 1:
            raise CorpusError(f"add edge targets ADU {edge.trg!r}, which has {len(outgoing)} outgoing "
                              "edges instead of one", file=xml_path, item=edge.id)
        joined = outgoing[0]
    else:
        joined = edges[edge.trg]
        if joined.type == "seg":
            raise CorpusError(f"add edge targets seg edge {joined.id!r}", file=xml_path, item=edge.id)
    target, label, _ = _resolve(joined, edges, adus, xml_path, seen=(*seen, edge.id))
    return target, label, {"merged_with": joined.src, "target_edge": joined.id}
