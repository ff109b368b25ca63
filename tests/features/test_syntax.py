"""Syntactic features: tense and modals of the main verb, clause attachment, tree depth."""

from __future__ import annotations

from mining.features.syntax import SyntaxVectorizer


def _rows(unit_instances):
    vec = SyntaxVectorizer().fit(unit_instances)
    names = list(vec.get_feature_names_out())
    return {inst.text: dict(zip(names, row))
            for inst, row in zip(unit_instances, vec.transform(unit_instances).toarray())}


def test_depths_start_at_the_root(unit_instances):
    """A unit whose root is its sentence's root has root depth 0; a unit lower in the tree, more."""
    rows = _rows(unit_instances)
    for inst in unit_instances:
        row, root = rows[inst.text], inst.span.root
        assert (row["root_depth"] == 0) == (row["root_is_sentence_root"] == 1) == (root.head.i == root.i)
        assert row["max_depth"] >= row["root_depth"]  # no token of the unit sits above its root
    assert rows["cars make the air dirty"]["root_depth"] == 0
    assert rows["exhaust fumes harm the lungs"]["root_depth"] > 0  # an adverbial clause ("Because ...")


def test_modal_tense_and_attachment(unit_instances):
    rows = _rows(unit_instances)
    modal = rows["schools should limit homework for young pupils"]
    assert modal["has_modal"] == 1 and modal["tense=MD"] == 1 and modal["root_is_sentence_root"] == 1
    reason = rows["exhaust fumes harm the lungs"]
    assert reason["root_dep=advcl"] == 1 and reason["shell_ends_with_mark"] == 1
    assert rows["the project cost too much"]["tense=VBD"] == 1
    assert any(name.startswith("pos:") for name in rows["the project cost too much"])
