"""The four microtext levels on made-up microtexts: gold labels, and a run of the experiment's subtasks."""

from __future__ import annotations

import pytest
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate
from sklearn.pipeline import Pipeline

from mining.cli import CONFIG_DIR
from mining.evaluation.splits import GroupedCV
from mining.experiment import run_subtasks
from mining.nlp.pipeline import find_pipeline, load_pipeline
from mining.schema import Document, Relation, Unit, paragraphs_from_lines
from mining.tasks.microtexts import (
    AttachmentTask,
    CentralClaimTask,
    FunctionTask,
    RoleTask,
    argument_tree,
)

# Written for these tests, in the style of arg-microtexts: (id, topic, units, central unit, edges).
# A unit is (text, role); an edge is (source unit, type, target) where the target is a unit index
# for sup/exa/reb and an edge index for und/add, as in the arggraph XML.
TEXTS = [
    ("fireworks", "ban_private_fireworks", [
        ("Private fireworks should be banned in our city.", "pro"),
        ("Every winter, rockets injure dozens of people.", "pro"),
        ("Of course, many families love the midnight tradition.", "opp"),
        ("But a public display would keep that tradition alive,", "pro"),
        ("and it would be far safer for everyone.", "pro"),
    ], 0, [(1, "sup", 0), (2, "reb", 0), (3, "und", 1), (4, "add", 2)]),
    ("homework", "abolish_weekend_homework", [
        ("Some teachers say that weekend homework trains discipline.", "opp"),
        ("However, children also need time to rest.", "pro"),
        ("Weekend homework should therefore be abolished,", "pro"),
        ("because rested pupils learn faster on Monday.", "pro"),
    ], 2, [(0, "reb", 2), (1, "reb", 0), (3, "sup", 2)]),
    ("bikes", "build_more_bike_lanes", [
        ("The city should build more bike lanes.", "pro"),
        ("Cycling is cheap and healthy.", "pro"),
        ("For example, a bike costs less than a monthly bus pass.", "pro"),
        ("Admittedly, bike lanes take space away from cars.", "opp"),
        ("Yet most streets have room for both.", "pro"),
    ], 0, [(1, "sup", 0), (2, "exa", 1), (3, "reb", 0), (4, "reb", 3)]),
    ("uniforms", "introduce_school_uniforms", [
        ("It is often claimed that uniforms reduce bullying.", "opp"),
        ("But children find other ways to tease each other.", "pro"),
        ("Uniforms are also expensive for poor families.", "pro"),
        ("Therefore schools should not introduce uniforms.", "pro"),
    ], 3, [(0, "reb", 3), (1, "reb", 0), (2, "sup", 3)]),
    ("library", None, [
        ("Our library should open on Sundays.", "pro"),
        ("Many students only have time at the weekend.", "pro"),
        ("Opening costs money, of course.", "opp"),
        ("However, volunteers could staff the desk.", "pro"),
    ], 0, [(1, "sup", 0), (2, "reb", 0), (3, "und", 1)]),
    ("voting", "lower_the_voting_age", [
        ("Sixteen-year-olds should be allowed to vote.", "pro"),
        ("They pay taxes when they work,", "pro"),
        ("and they live longest with political decisions.", "pro"),
        ("Some say teenagers are not mature enough.", "opp"),
        ("But maturity is not tested for adult voters either.", "pro"),
    ], 0, [(1, "sup", 0), (2, "add", 0), (3, "reb", 0), (4, "und", 2)]),
]
LABELS = {"sup": "support", "exa": "support", "reb": "attack", "und": "attack"}
ROLES = {"pro": "proponent", "opp": "opponent"}


def _relations(edges) -> list[Relation]:
    """Relations as the arggraph reader resolves them (und -> undercut edge's source; add merged)."""
    out: list[Relation] = []
    for k, (src, kind, trg) in enumerate(edges):
        rid, source = f"c{k + 1}", f"a{src + 1}"
        if kind in ("sup", "exa", "reb"):
            out.append(Relation(rid, source, f"a{trg + 1}", LABELS[kind], {"type": kind}))
        elif kind == "und":
            out.append(Relation(rid, source, out[trg].source, "attack", {"type": "und", "target_edge": out[trg].id}))
        else:
            joined = out[trg]
            out.append(Relation(rid, source, joined.target, joined.label,
                                {"type": "add", "merged_with": joined.source, "target_edge": joined.id}))
    return out


def make_microtexts() -> list[Document]:
    docs = []
    for doc_id, topic, units, central, edges in TEXTS:
        text = " ".join(t for t, _ in units)
        spans, cursor = [], 0
        for t, _ in units:
            start = text.index(t, cursor)
            spans.append((start, start + len(t)))
            cursor = start + len(t)
        docs.append(Document(
            id=doc_id, text=text, paragraphs=paragraphs_from_lines(text), topic=topic,
            units=[Unit(id=f"a{k + 1}", start=s, end=e, text=text[s:e],
                        label="major_claim" if k == central else "premise",
                        stance="for" if role == "pro" else "against", holder=ROLES[role],
                        attributes={"role": ROLES[role], "central_claim": k == central})
                   for k, ((s, e), (_, role)) in enumerate(zip(spans, units))],
            relations=_relations(edges),
        ))
    return docs


@pytest.fixture(scope="module")
def corpus():
    docs = make_microtexts()
    nlp = load_pipeline(find_pipeline(exclude=["ner"]))
    return docs, list(nlp.pipe([d.text for d in docs]))


def _by_doc(instances, labels, doc_id):
    return [label for inst, label in zip(instances, labels) if inst.document.id == doc_id]


def test_argument_tree_follows_peldszus_and_stede():
    fireworks = make_microtexts()[0]
    # The undercutter attacks the source of the undercut edge; the added premise links to its co-premise.
    assert argument_tree(fireworks) == {"a2": ("a1", "support"), "a3": ("a1", "attack"),
                                        "a4": ("a3", "attack"), "a5": ("a4", "support")}


def test_argument_tree_rejects_other_corpora():
    doc = make_microtexts()[1]
    doc.relations[0].attributes = {}
    with pytest.raises(ValueError, match="type"):
        argument_tree(doc)
    doc = make_microtexts()[1]
    doc.relations.append(Relation("x", "a1", "a2", "support", {"type": "sup"}))
    with pytest.raises(ValueError, match="more than one"):
        argument_tree(doc)


def test_gold_labels(corpus):
    docs, parsed = corpus
    cc = CentralClaimTask()
    units = cc.build_instances(docs, parsed)
    assert len(units) == sum(len(d.units) for d in docs)
    assert _by_doc(units, cc.gold_labels(units), "homework") == ["no", "no", "cc", "no"]
    assert _by_doc(units, RoleTask().gold_labels(units), "uniforms") == [
        "opponent", "proponent", "proponent", "proponent"]
    assert _by_doc(units, FunctionTask().gold_labels(units), "fireworks") == [
        "cc", "support", "attack", "attack", "support"]
    assert _by_doc(units, FunctionTask().gold_labels(units), "voting") == [
        "cc", "support", "support", "attack", "attack"]

    task = AttachmentTask()
    pairs = task.build_instances(docs, parsed)
    assert len(pairs) == sum(len(d.units) * (len(d.units) - 1) for d in docs)
    gold = task.gold_labels(pairs)
    attached = {(p.source.unit.id, p.target.unit.id) for p, g in zip(pairs, gold)
                if g == "attached" and p.document.id == "voting"}
    assert attached == {("a2", "a1"), ("a3", "a2"), ("a4", "a1"), ("a5", "a4")}


def test_apply_predictions_keeps_gold(corpus):
    docs, parsed = corpus
    units = RoleTask().build_instances(docs[:1], parsed[:1])
    out = FunctionTask().apply_predictions(docs[:1], units, ["support"] * len(units))
    assert [u.attributes["function"] for u in out[0].units] == ["support"] * 5
    assert [u.attributes["gold"] for u in out[0].units] == ["cc", "support", "attack", "attack", "support"]
    assert docs[0].units[0].attributes.get("function") is None  # the input is left alone

    task = AttachmentTask()
    pairs = task.build_instances(docs[:1], parsed[:1])
    predicted = ["attached" if p.distance == -1 else "not" for p in pairs]
    out = task.apply_predictions(docs[:1], pairs, predicted)
    assert out[0].metadata["attachments"] == [["a2", "a1"], ["a3", "a2"], ["a4", "a3"], ["a5", "a4"]]
    assert sorted(out[0].metadata["gold_attachments"]) == [["a2", "a1"], ["a3", "a1"], ["a4", "a3"], ["a5", "a4"]]
    assert out[0].relations == docs[0].relations


def _is_tree(edges: list[list[str]], units: list[str]) -> bool:
    head = dict(edges)
    if len(head) != len(edges) or len(edges) != len(units) - 1:
        return False
    for unit in units:
        seen = set()
        while unit in head:
            if unit in seen:
                return False
            seen.add(unit)
            unit = head[unit]
    return True


def test_experiment_subtasks_run_and_decode(corpus):
    """The subtasks of configs/experiment/microtexts_cv.yaml, as `mining run` builds them."""
    docs, parsed = corpus
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(config_name="config", overrides=["experiment=microtexts_cv"])
    subtasks = {
        name: (instantiate(part.task, _convert_="all"),
               Pipeline([("features", instantiate(part.features, _convert_="all")),
                         ("model", instantiate(part.model, _convert_="all"))]))
        for name, part in cfg.subtasks.items()
    }
    result = run_subtasks(docs=docs, parsed=parsed, subtasks=subtasks,
                          evaluation=GroupedCV(n_splits=3, n_repeats=1), seed=0)
    for name in ("cc", "role", "function", "attachment"):
        assert 0.0 <= result.metrics[f"cv.{name}.macro_f1.mean"] <= 1.0
        assert result.metrics[f"cv.{name}.n_folds"] == 3
    predicted = {(d.metadata["subtask"], d.id): d for d in result.predictions}
    assert len(predicted) == 4 * len(docs)
    for doc in docs:
        # Decoded per text: one central claim, one `cc` function, and attachments that form a tree.
        assert sum(u.label == "major_claim" for u in predicted["cc", doc.id].units) == 1
        assert sum(u.attributes["function"] == "cc" for u in predicted["function", doc.id].units) == 1
        assert _is_tree(predicted["attachment", doc.id].metadata["attachments"], [u.id for u in doc.units])
    assert set(result.model) == {"cc", "role", "function", "attachment"}
