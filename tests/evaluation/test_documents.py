"""compare_documents: identical inputs score 1, and each known perturbation gives the hand-computed scores."""

from __future__ import annotations

from collections import Counter

import pytest

from mining.errors import CorpusError
from mining.evaluation.documents import cohen_kappa, compare_documents, format_agreement, format_comparison
from tests.evaluation.annotated import TEXT, gold, perturbed

# gold: T1 claim "Cats are great pets" (stance for), T2 premise "They sleep a lot" (21-37),
# T3 premise "Dogs need walks" (holder "Ann Lee"), T4 major_claim "So cats are easier" (stance for);
# R1 T2->T1, R2 T3->T4, R3 T1->T4, all support. Every unit but T3 is held by "author".
SCORE_SUFFIXES = (".precision", ".recall", ".f1", ".macro_f1", ".accuracy", ".agreement", ".kappa")


def _compare(*predicted_docs, gold_docs=None):
    return compare_documents(gold_docs or [gold()], list(predicted_docs))


def test_identical_documents_score_one_everywhere():
    scores = _compare(gold())
    ratios = {k: v for k, v in scores.items() if k.endswith(SCORE_SUFFIXES)}
    assert len(ratios) > 40 and set(ratios.values()) == {1.0}, {k: v for k, v in ratios.items() if v != 1.0}
    assert scores["documents"] == 1 and scores["units.n_gold"] == scores["units.n_predicted"] == 4
    assert scores["stance.n"] == 2 and scores["holder.n"] == 4 and scores["labels.n"] == 4
    assert scores["relations.n_gold"] == 3 and scores["relations.overlap50.n_matched"] == 3


def test_the_key_names():
    scores = _compare(gold())
    for key in ("units.exact.f1", "units.overlap50.f1", "components.exact.f1", "components.overlap50.f1",
                "components.overlap50.macro_f1", "components.overlap50.per_label.claim.f1",
                "components.per_label.premise.n_gold", "stance.accuracy", "stance.agreement", "holder.accuracy",
                "holder.agreement", "relations.exact.f1", "relations.overlap50.f1", "relations.overlap50.link.f1",
                "labels.kappa", "labels.accuracy", "documents.gold_only"):
        assert key in scores, key


def test_shifted_boundary():
    # T2 "They sleep a lot" (16 chars) -> "They sleep" (10 chars): overlap 10/16 = 0.625 >= 0.5.
    scores = _compare(perturbed(gold(), T2={"end": 31}))
    # exact: 3 of 4 gold units and 3 of 4 predicted match: P = R = F1 = 3/4
    assert scores["units.exact.f1"] == scores["units.exact.precision"] == 0.75
    assert scores["units.overlap50.f1"] == 1.0
    # components, exact: claim 1/1, premise 1 of 2 gold and 2 predicted (F1 1/2), major_claim 1/1
    assert scores["components.exact.per_label.premise.f1"] == 0.5
    assert scores["components.exact.f1"] == 0.75
    assert scores["components.exact.macro_f1"] == pytest.approx((1 + 0.5 + 1) / 3)
    assert scores["components.overlap50.macro_f1"] == 1.0
    # relations, exact: T2 is unmatched, so R1 (T2->T1) is lost: 2 of 3 either way
    assert scores["relations.exact.f1"] == scores["relations.exact.link.f1"] == pytest.approx(2 / 3)
    assert scores["relations.overlap50.f1"] == 1.0
    assert scores["stance.accuracy"] == scores["holder.accuracy"] == scores["labels.kappa"] == 1.0


def test_changed_label():
    # T3 premise -> claim: every span still matches
    scores = _compare(perturbed(gold(), T3={"label": "claim"}))
    assert scores["units.exact.f1"] == scores["units.overlap50.f1"] == 1.0
    # claim: 1 gold, 2 predicted, 1 match: P 1/2, R 1, F1 2/3
    assert scores["components.overlap50.per_label.claim.precision"] == 0.5
    assert scores["components.overlap50.per_label.claim.f1"] == pytest.approx(2 / 3)
    # premise: 2 gold, 1 predicted, 1 match: P 1, R 1/2, F1 2/3
    assert scores["components.overlap50.per_label.premise.recall"] == 0.5
    assert scores["components.overlap50.per_label.premise.f1"] == pytest.approx(2 / 3)
    # micro 3 of 4; macro (2/3 + 2/3 + 1) / 3 = 7/9
    assert scores["components.exact.f1"] == scores["components.overlap50.f1"] == 0.75
    assert scores["components.overlap50.macro_f1"] == pytest.approx(7 / 9)
    # kappa on 4 matched units: observed 3/4; gold marginals claim 1, premise 2, major 1; predicted
    # claim 2, premise 1, major 1: expected (1*2 + 2*1 + 1*1) / 16 = 5/16; (3/4 - 5/16) / (11/16) = 7/11
    assert scores["labels.accuracy"] == 0.75
    assert scores["labels.kappa"] == pytest.approx(7 / 11)
    assert scores["relations.overlap50.f1"] == 1.0  # relations follow units, whatever their label


def test_dropped_unit():
    # T3 and its relation R2 are gone: 3 predicted units, all right; 2 predicted relations, all right
    scores = _compare(perturbed(gold(), drop=["T3"]))
    # units: P 1, R 3/4, F1 2 * 3/4 / (7/4) = 6/7
    assert scores["units.exact.precision"] == 1.0 and scores["units.exact.recall"] == 0.75
    assert scores["units.exact.f1"] == pytest.approx(6 / 7)
    assert scores["components.overlap50.f1"] == pytest.approx(6 / 7)
    # premise F1 2/3 (P 1, R 1/2); macro (1 + 2/3 + 1) / 3 = 8/9
    assert scores["components.overlap50.macro_f1"] == pytest.approx(8 / 9)
    # relations: P 1, R 2/3, F1 4/5
    assert scores["relations.overlap50.f1"] == pytest.approx(4 / 5)
    assert scores["relations.overlap50.link.recall"] == pytest.approx(2 / 3)
    # the 3 matched units agree on everything; kappa: marginals 1/3 each side, expected 1/3, observed 1
    assert scores["labels.kappa"] == 1.0 and scores["labels.n"] == 3
    assert scores["holder.n"] == 3 and scores["holder.accuracy"] == 1.0


def test_changed_stance():
    # T4 for -> against, and T2 gets a stance the gold unit does not have
    scores = _compare(perturbed(gold(), T4={"stance": "against"}, T2={"stance": "for"}))
    # accuracy: over the gold units with a stance (T1 right, T4 wrong) = 1/2
    assert scores["stance.n"] == 2 and scores["stance.n_correct"] == 1
    assert scores["stance.accuracy"] == 0.5
    # agreement: over units where either side has one (T1, T2, T4), agreeing on T1 only = 1/3
    assert scores["stance.n_either"] == 3
    assert scores["stance.agreement"] == pytest.approx(1 / 3)
    assert scores["components.exact.f1"] == 1.0


def test_changed_holder():
    # T2 author -> "Bob" (wrong); T3 "Ann Lee" -> "  ann   LEE " (the same after normalisation)
    scores = _compare(perturbed(gold(), T2={"holder": "Bob"}, T3={"holder": "  ann   LEE "}))
    # 4 gold holders, 3 right
    assert scores["holder.n"] == 4 and scores["holder.accuracy"] == 0.75
    assert scores["holder.agreement"] == 0.75


def test_dropped_relation():
    # R3 (T1->T4) gone: P 1, R 2/3, F1 4/5, labelled and link-only, exact and overlap
    scores = _compare(perturbed(gold(), drop_relations=["R3"]))
    for key in ("relations.exact.f1", "relations.exact.link.f1", "relations.overlap50.f1",
                "relations.overlap50.link.f1"):
        assert scores[key] == pytest.approx(4 / 5), key
    assert scores["relations.overlap50.precision"] == 1.0
    assert scores["units.exact.f1"] == 1.0


def test_changed_relation_label_counts_for_links_only():
    # R1 support -> attack: labelled 2 of 3 (F1 2/3), link-only 3 of 3
    scores = _compare(perturbed(gold(), relation_labels={"R1": "attack"}))
    assert scores["relations.overlap50.f1"] == pytest.approx(2 / 3)
    assert scores["relations.overlap50.link.f1"] == 1.0


def test_micro_average_over_documents():
    # d1 has the shifted boundary, d2 the changed label: 8 gold and 8 predicted units
    gold_docs = [gold("d1"), gold("d2")]
    predicted = [perturbed(gold("d1"), T2={"end": 31}), perturbed(gold("d2"), T3={"label": "claim"})]
    scores = compare_documents(gold_docs, predicted)
    assert scores["documents"] == 2
    assert scores["units.exact.f1"] == pytest.approx(7 / 8)
    assert scores["components.exact.f1"] == pytest.approx(6 / 8)
    # exact, pooled: claim 2 gold, 3 predicted, 2 matched: P 2/3, R 1, F1 4/5;
    # premise 4 gold, 3 predicted, 2 matched (d1 T3, d2 T2): P 2/3, R 1/2, F1 4/7; major_claim 1
    assert scores["components.exact.per_label.claim.f1"] == pytest.approx(4 / 5)
    assert scores["components.exact.per_label.premise.f1"] == pytest.approx(4 / 7)
    assert scores["components.exact.macro_f1"] == pytest.approx((4 / 5 + 4 / 7 + 1) / 3)
    # relations exact: d1 loses R1, d2 keeps all: 5 of 6
    assert scores["relations.exact.f1"] == pytest.approx(5 / 6)


def test_boundary_below_half_is_no_match():
    # "They sleep a lot" (16) -> "They" (4): 4/16 < 1/2, so T2 is a miss and an extra
    scores = _compare(perturbed(gold(), T2={"end": 25}))
    assert scores["units.overlap50.f1"] == 0.75
    assert scores["labels.n"] == 3


def test_a_missing_document_is_an_error_naming_it():
    with pytest.raises(CorpusError, match=r"pred\.jsonl \[d2\]: no document 'd2', which gold\.jsonl has"):
        compare_documents([gold("d1"), gold("d2")], [gold("d1")], file_gold="gold.jsonl", file_pred="pred.jsonl")
    with pytest.raises(CorpusError, match=r"pred\.jsonl \[d3\]: document 'd3' is not in gold\.jsonl"):
        compare_documents([gold("d1")], [gold("d1"), gold("d3")], file_gold="gold.jsonl", file_pred="pred.jsonl")


def test_shared_only_scores_the_common_ids():
    scores = compare_documents([gold("d1"), gold("d2")], [gold("d1"), gold("d3")], shared_only=True)
    assert scores["documents"] == 1
    assert scores["documents.gold_only"] == scores["documents.predicted_only"] == 1
    assert scores["units.exact.f1"] == 1.0


def test_a_different_text_is_an_error():
    other = gold()
    # "Cats are great pets. " (21) + "They sleep a lot. " (18) + "Dogs need walk" (14): "s" is at 53
    other.text = TEXT.replace("walks", "walk!")
    with pytest.raises(CorpusError, match=r"b \[d1\]: text differs from a's \(first difference at character 53\)"):
        compare_documents([gold()], [other], file_gold="a", file_pred="b")


def test_a_dangling_relation_is_an_error():
    broken = gold()
    broken.relations[0].source = "T9"
    with pytest.raises(CorpusError, match=r"\[d1/R1\]: relation points at missing unit 'T9'"):
        compare_documents([gold()], [broken])


def test_duplicate_ids_are_an_error():
    with pytest.raises(CorpusError, match=r"duplicate document id 'd1'"):
        compare_documents([gold(), gold()], [gold()])


def test_kappa_edge_cases():
    assert cohen_kappa(Counter()) == 0.0
    assert cohen_kappa(Counter({("claim", "claim"): 3})) == 1.0  # one label on both sides: perfect
    # observed 0, expected 1/2: kappa -1
    assert cohen_kappa(Counter({("claim", "premise"): 1, ("premise", "claim"): 1})) == -1.0


def test_tables_render_the_scores():
    scores = _compare(perturbed(gold(), T3={"label": "claim"}))
    table = format_comparison(scores)
    assert "units                 1.000  1.000  1.000   1.000  1.000  1.000" in table
    assert "  premise             1.000  0.500  0.667" in table
    assert "kappa 0.636" in table
    agreement = format_agreement(scores, a="ann.jsonl", b="bob.jsonl")
    assert "label kappa      0.636 on 4 units" in agreement
    assert "ann.jsonl: 4 units" in agreement


def test_tables_say_n_a_for_relations_when_neither_side_has_one():
    """0.000 would read as every relation missed; with none on either side there is nothing to score."""
    bare = gold()
    bare.relations = []
    scores = compare_documents([bare], [bare])
    assert scores["relations.n_gold"] == scores["relations.n_predicted"] == 0
    assert "relations             n/a: none on either side" in format_comparison(scores)
    assert "relation F1      n/a: none on either side" in format_agreement(scores)
    table = format_comparison(_compare(perturbed(gold(), T3={"label": "claim"})))  # relations on both sides: scored
    assert "relations (link)" in table and "n/a: none" not in table
