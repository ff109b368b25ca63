"""Syntactic features: tense and modals of the main verb, clause attachment, tree depth."""

from __future__ import annotations

from mining.features.syntax import SyntaxVectorizer, token_depths


def _rows(unit_instances):
    vec = SyntaxVectorizer().fit(unit_instances)
    names = list(vec.get_feature_names_out())
    return {inst.text: dict(zip(names, row)) for inst, row in zip(unit_instances, vec.transform(unit_instances).toarray())}


def test_depths_start_at_the_root(unit_of):
    doc = unit_of("cars make the air dirty").parsed
    depths = token_depths(doc)
    assert all((depths[t.i] == 0) == (t.head.i == t.i) for t in doc)


def test_modal_tense_and_attachment(unit_instances):
    rows = _rows(unit_instances)
    modal = rows["schools should limit homework for young pupils"]
    assert modal["has_modal"] == 1 and modal["tense=MD"] == 1 and modal["root_is_sentence_root"] == 1
    reason = rows["exhaust fumes harm the lungs"]
    assert reason["root_dep=advcl"] == 1 and reason["shell_ends_with_mark"] == 1
    assert rows["the project cost too much"]["tense=VBD"] == 1
    assert any(name.startswith("pos:") for name in rows["the project cost too much"])
