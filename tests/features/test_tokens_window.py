"""TokenWindowVectorizer: the extractor contract on token instances, windows, padding and validation."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from mining.features.tokens_window import DEFAULT_WINDOWS, TokenWindowVectorizer
from mining.instances.tokens import build_token_instances, paragraphs_of

EXTRACTORS = [
    TokenWindowVectorizer(),
    TokenWindowVectorizer(windows={"word": 1, "pos": 0}, min_df=2),
    TokenWindowVectorizer(windows={"marker": 1, "context": 0}, lists={"reason": ["because", "since"]}),
    TokenWindowVectorizer(windows={"bigram": 1, "punct": 0}),
]


@pytest.fixture(scope="module")
def token_instances(nlp, documents):
    return [inst for doc, parsed in zip(documents, nlp.pipe(d.text for d in documents))
            for inst in build_token_instances(doc, parsed)]


@pytest.fixture(params=EXTRACTORS, ids=[f"windows-{i}" for i in range(len(EXTRACTORS))])
def extractor(request):
    return clone(request.param)


def test_clone_keeps_params(extractor):
    twin = clone(extractor)
    assert twin is not extractor and twin.get_params() == extractor.get_params()


def test_fit_returns_self(extractor, token_instances):
    assert extractor.fit(token_instances) is extractor


def test_unfitted_transform_raises(extractor, token_instances):
    with pytest.raises(NotFittedError):
        extractor.transform(token_instances)
    with pytest.raises(NotFittedError):
        extractor.get_feature_names_out()


def test_names_match_columns(extractor, token_instances):
    matrix = extractor.fit_transform(token_instances)
    names = extractor.get_feature_names_out()
    assert sp.isspmatrix_csr(matrix) and matrix.dtype == np.float64
    assert matrix.shape == (len(token_instances), len(names)) and len(names) > 0
    assert len(set(names)) == len(names) and all(isinstance(n, str) for n in names)
    assert set(matrix.data) == {1.0}


def test_fit_transform_equals_fit_then_transform(extractor, token_instances):
    once = extractor.fit_transform(token_instances)
    again = clone(extractor).fit(token_instances).transform(token_instances)
    assert (once != again).nnz == 0


def test_rows_depend_on_their_instance_only(extractor, token_instances):
    full = extractor.fit(token_instances).transform(token_instances)
    for i in (0, 7, len(token_instances) // 2, len(token_instances) - 1):
        assert (extractor.transform([token_instances[i]]) != full[i]).nnz == 0


def _row_names(vec, X, i):
    matrix = vec.transform([X[i]])
    return set(vec.get_feature_names_out()[matrix.indices])


def test_window_reads_the_neighbours_and_pads_the_edges(token_instances):
    vec = TokenWindowVectorizer().fit(token_instances)
    # "Because exhaust fumes harm the lungs, ..." in the cars essay: the token after "Because".
    k = next(i for i, inst in enumerate(token_instances)
             if inst.parsed[inst.token_index].text == "exhaust")
    names = _row_names(vec, token_instances, k)
    assert {"-1:word=because", "0:word=exhaust", "1:word=fumes", "-1:marker=starts:backward"} <= names
    first = next(i for i, inst in enumerate(token_instances) if inst.position == 0)
    names = _row_names(vec, token_instances, first)
    assert {"-1:<pad>", "-3:<pad>"} <= names and not any(n.startswith("-1:word=") for n in names)
    assert "0:sentence=start" in names and "0:context=paragraph:intro" in names


def test_bigrams_pair_each_word_with_the_one_before(token_instances):
    vec = TokenWindowVectorizer(windows={"bigram": 1}).fit(token_instances)
    k = next(i for i, inst in enumerate(token_instances)
             if inst.parsed[inst.token_index].text == "exhaust")
    names = _row_names(vec, token_instances, k)
    assert {"0:bigram=because|exhaust", "1:bigram=exhaust|fumes"} <= names
    assert any(n.startswith("-1:bigram=") and n.endswith("|because") for n in names)
    first = next(i for i, inst in enumerate(token_instances) if inst.position == 0)
    word = token_instances[first].parsed[token_instances[first].token_index].lower_
    assert f"0:bigram=<s>|{word}" in _row_names(vec, token_instances, first)  # a paragraph's first word
    assert not any(":bigram=" in n for n in TokenWindowVectorizer().fit(token_instances).get_feature_names_out())


def test_windows_switch_groups_and_widths(token_instances):
    narrow = TokenWindowVectorizer(windows={"word": 1}).fit(token_instances)
    offsets = {n.split(":", 1)[0] for n in narrow.get_feature_names_out()}
    assert offsets == {"-1", "0", "1"}
    assert all(n.split(":", 1)[1].startswith(("word=", "<pad>")) for n in narrow.get_feature_names_out())
    off = TokenWindowVectorizer(windows={**DEFAULT_WINDOWS, "tree": -1}).fit(token_instances)
    assert not any(":tree=" in n for n in off.get_feature_names_out())


def test_words_unseen_in_fit_are_ignored(token_instances):
    vec = TokenWindowVectorizer(windows={"word": 0}).fit(token_instances[:50])
    matrix = vec.transform(token_instances)
    assert matrix.shape == (len(token_instances), len(vec.get_feature_names_out()))
    assert matrix[60:].sum(axis=1).min() >= 0


@pytest.mark.parametrize("params, message", [
    ({"windows": {"words": 2}}, "unknown feature groups"),
    ({"windows": {"word": -1}}, "switched off"),
    ({"windows": [("word", 1)]}, "mapping"),
    ({"min_df": 0}, "min_df"),
    ({"paragraph_places": "lede"}, "paragraph_places must be one of position, headline"),
])
def test_bad_params_raise_in_fit(params, message, token_instances):
    vec = TokenWindowVectorizer(**params)  # __init__ never validates
    with pytest.raises(ValueError, match=message):
        vec.fit(token_instances)


def test_a_feature_a_token_carries_twice_counts_once(token_instances):
    # Both lists match "because" at the same token: the token gets marker=phrase:because twice.
    twice = TokenWindowVectorizer(windows={"marker": 0}, lists={"reason": ["because"], "cause": ["because"]})
    matrix = twice.fit_transform(token_instances)
    assert matrix.has_sorted_indices and set(matrix.data.tolist()) == {1.0}
    names = twice.get_feature_names_out().tolist()
    column = names.index("0:marker=phrase:because")
    n_because = sum(inst.parsed[inst.token_index].lower_ == "because" for inst in token_instances)
    assert n_because > 0 and matrix[:, column].sum() == n_because
    assert (twice.transform(token_instances) != matrix).nnz == 0


ALL_GROUPS = {"word": 2, "lemma": 1, "shape": 1, "punct": 1, "pos": 1, "tag": 1, "dep": 1, "tree": 2, "marker": 2,
              "sentence": 1, "context": 0, "speech": 1, "bigram": 2}


@pytest.mark.parametrize("windows", [None, ALL_GROUPS], ids=["default", "all-groups"])
@pytest.mark.parametrize("memo_limit", [1 << 18, 1])
def test_transform_from_spacy_arrays_equals_spelled_features(token_instances, monkeypatch, memo_limit, windows):
    # transform reads the one-value groups (ValueIds) and the tree, marker, sentence, context and bigram
    # groups (MultiTokenIds) from spaCy's arrays; spelling them as fit does must give the same matrix, on
    # tokens unseen in fit too, batch after batch (the memo warm, or cleared at every call when its limit is 1).
    import mining.features.tokens_window as tokens_window
    import mining.features.window_ids as window_ids
    from mining.nlp.sharing import sharing

    monkeypatch.setattr(window_ids, "_MEMO_LIMIT", memo_limit)
    vec = TokenWindowVectorizer(windows=windows).fit(token_instances[: len(token_instances) // 2])
    fast = [vec.transform(token_instances), vec.transform(token_instances[::-1])]
    with sharing():
        fast.append(vec.transform(token_instances))
    monkeypatch.setattr(tokens_window, "VALUE_GROUPS", ())  # every group spelled, as in fit
    monkeypatch.setattr(tokens_window, "ARRAY_GROUPS", ())
    spelled = vec.transform(token_instances)
    assert spelled.nnz > 0 and spelled[len(token_instances) // 2:].nnz > 0
    names = vec.get_feature_names_out()[spelled.indices]
    for group in ("tree=opens", "tree=clause", "marker=inside", "context=marker_before", "sentence=", "bigram="):
        assert windows is None and group == "bigram=" or any(group in name for name in names), group
    for matrix, rows in zip(fast, [slice(None), slice(None, None, -1), slice(None)]):
        assert matrix.has_sorted_indices and (matrix != spelled[rows]).nnz == 0


def test_paragraphs_sharing_tokens_are_spelled(token_instances):
    # Two paragraph objects over the same tokens in one call (copies of a document) cannot share the
    # batch arrays (MultiTokenIds), so they are spelled; the rows are the same as each copy's alone.
    from dataclasses import replace

    from mining.instances.tokens import TokenInstance

    vec = TokenWindowVectorizer(windows=ALL_GROUPS).fit(token_instances)
    paragraph = token_instances[0].paragraph
    first = [inst for inst in token_instances if inst.paragraph is paragraph]
    copy = replace(paragraph)
    twins = [TokenInstance(document=i.document, parsed=i.parsed, paragraph=copy, position=i.position) for i in first]
    alone = vec.transform(first)
    both = vec.transform(first + twins)
    assert alone.nnz > 0 and (both[: len(first)] != alone).nnz == 0 and (both[len(first):] != alone).nnz == 0


def test_words_holding_the_bigram_bar_and_empty_paragraphs(nlp, monkeypatch):
    # "|" separates a bigram's two words, and a word may hold one: the inverted vocabulary files such a
    # bigram under every split, and the right one is found. Blank lines and a one-token paragraph too.
    import mining.features.tokens_window as tokens_window
    from mining.label.miner import document_from_text

    texts = ["Cats | dogs || birds, and a|b.\n\nOk\n\n   \n", "Dogs | cats || birds.\nA|b c|d e || f"]
    docs = [document_from_text(t, f"d{i}") for i, t in enumerate(texts)]
    X = [inst for doc, parsed in zip(docs, nlp.pipe(texts)) for inst in build_token_instances(doc, parsed)]
    vec = TokenWindowVectorizer(windows={**DEFAULT_WINDOWS, "bigram": 1}).fit(X[: len(X) // 2 + 3])
    bars = [n for n in vec.get_feature_names_out() if n.startswith("0:bigram=") and n.count("|") > 1]
    fast = vec.transform(X)
    assert vec.transform([]).shape == (0, fast.shape[1])
    monkeypatch.setattr(tokens_window, "ARRAY_GROUPS", ())
    spelled = vec.transform(X)
    assert bars and fast[: len(X) // 2 + 3].nnz > 0 and (fast != spelled).nnz == 0


def test_marker_matches_over_paragraph_edges_are_the_paragraphs_own(nlp, monkeypatch):
    # The array path takes a paragraph's marker matches from its document's index (built once per batch), which
    # also matches over line breaks: "as a" ending a line and "result" opening the next are "as a result" there,
    # but in neither paragraph. Such paragraphs, and one cut inside a word, are matched alone, as fit spells them.
    import mining.features.tokens_window as tokens_window
    from mining.features.markers import MarkerIndex
    from mining.label.miner import document_from_text
    from mining.schema import Document

    texts = ["It rained as a\nresult we stayed in, because of the cold.\nThus we read as a result.",
             "We left early. Itso happened, as a result of the rain."]
    cut = texts[1].index("so happened")
    docs = [document_from_text(texts[0], "d0"),
            Document(id="d1", text=texts[1], paragraphs=[(0, cut), (cut, len(texts[1]))])]
    X = [inst for doc, parsed in zip(docs, nlp.pipe(texts)) for inst in build_token_instances(doc, parsed)]
    vec = TokenWindowVectorizer(windows={**DEFAULT_WINDOWS, "context": 1}).fit(X)
    crossing = MarkerIndex(texts[0], vec.matcher_)
    assert (texts[0].index("as a"), texts[0].index("result") + len("result")) in zip(
        crossing.starts["forward"], crossing.ends["forward"])
    fast = vec.transform(X)
    monkeypatch.setattr(tokens_window, "ARRAY_GROUPS", ())
    spelled = vec.transform(X)
    names = vec.get_feature_names_out()[spelled.indices]
    assert "0:marker=phrase:as a result" in names and "0:marker=phrase:because of" in names
    assert (fast != spelled).nnz == 0


def _groups_one_by_one(instances):
    groups = {}
    for i, inst in enumerate(instances):
        groups.setdefault((id(inst.document), inst.paragraph.index), []).append(i)
    return list(groups.values())


def test_paragraphs_of_groups_in_order_of_first_sight(token_instances):
    # Two copies of one paragraph's instances (equal index, other document) and a paragraph seen again later.
    first = [i for i in token_instances if i.paragraph is token_instances[0].paragraph]
    later = [i for i in token_instances if i.paragraph is token_instances[-1].paragraph]
    mixed = later[:2] + first + later[2:] + token_instances + first[:1]
    assert paragraphs_of(mixed) == _groups_one_by_one(mixed)
    assert len(paragraphs_of(token_instances)) > 1
    assert paragraphs_of([]) == [] and paragraphs_of(first[:1]) == [[0]]
    assert [len(t.paragraph.tokens) for t in first] == [len(first)] * len(first)
    assert [t.position for t in first] == list(range(len(first)))


def test_headline_places_read_a_report_alike_with_or_without_its_headline(nlp, monkeypatch):
    # The context group names a paragraph's place. By position (essays) a report's lede is the intro; with
    # paragraph_places="headline" (news) a paragraph is a headline (no final punctuation), the conclusion (the last,
    # after a paragraph that is no headline) or body, so a report's body reads the same under its headline or without
    # it (docs/labelling.md), in fit's spelled features and in transform's arrays alike.
    import mining.features.tokens_window as tokens_window
    from mining.schema import Document, paragraphs_from_lines

    body = "The mayor said that the bridge will open in May.\nCritics claimed the project cost too much."
    instances = {}
    for way, text in (("headline", "Bridge to open in May\n" + body), ("none", body)):
        doc = Document(id=way, text=text, paragraphs=paragraphs_from_lines(text))
        instances[way] = build_token_instances(doc, nlp(text))
    headline = [inst for inst in instances["headline"] if inst.paragraph.index == 0]
    under = instances["headline"][len(headline):]
    assert [i.parsed[i.token_index].text for i in under] == [i.parsed[i.token_index].text for i in instances["none"]]
    vec = TokenWindowVectorizer(windows={"context": 0, "word": 0}, paragraph_places="headline")
    fitted = vec.fit_transform(instances["headline"] + instances["none"])
    names = vec.get_feature_names_out()
    places = {name.split("&")[0] for name in names[fitted.indices] if name.startswith("0:context=paragraph:")}
    assert places == {"0:context=paragraph:headline", "0:context=paragraph:body", "0:context=paragraph:conclusion"}
    assert {names[j] for j in fitted[:len(headline)].indices} >= {"0:context=paragraph:headline"}
    assert (fitted[len(headline):len(instances["headline"])] != fitted[len(instances["headline"]):]).nnz == 0
    fast = vec.transform(instances["headline"] + instances["none"])
    monkeypatch.setattr(tokens_window, "VALUE_GROUPS", ())
    monkeypatch.setattr(tokens_window, "ARRAY_GROUPS", ())
    assert (fast != fitted).nnz == 0 and (vec.transform(instances["headline"] + instances["none"]) != fitted).nnz == 0
    by_position = TokenWindowVectorizer(windows={"context": 0}).fit(instances["none"])
    rows = by_position.transform(instances["none"])
    assert "0:context=paragraph:intro" in set(by_position.get_feature_names_out()[rows[0].indices])


@pytest.mark.parametrize("lines, places", [
    (["Bridge to open in May", "The mayor said it would open.", "Critics disagreed."],
     ["headline", "body", "conclusion"]),
    (["The mayor said it would open.", "Critics disagreed."], ["body", "conclusion"]),
    (["The mayor said it would open"], ["body"]),  # a pasted line without its full stop is text, not a headline
    (["Bridge to open in May", "Costs rise"], ["body", "conclusion"]),  # every paragraph unpunctuated: all text
    (["Bridge to open in May", "The mayor said that the new bridge would open in May and that it would cut the "
      "time people spend in traffic by a third"], ["headline", "body"]),  # too long for a headline
    (["Bridge to open in May", "The mayor spoke.", "Costs rise", "Critics disagreed."],
     ["headline", "body", "headline", "conclusion"]),  # a crosshead
])
def test_headline_places_of_a_documents_paragraphs(lines, places):
    from mining.features.window_groups import paragraph_places
    from mining.schema import paragraphs_from_lines

    text = "\n".join(lines)
    assert paragraph_places(paragraphs_from_lines(text), text, "headline") == places
    assert paragraph_places(paragraphs_from_lines(text), text)[0] == "intro"
