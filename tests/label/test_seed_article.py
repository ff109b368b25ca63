"""The seed news report (../shared/examples/berlin-talks-news.txt, read by path) through the default model.

Issue 14 asks that the positions of Zelenskyy, Merz, the US officials and Trump come out as claims
with their reasons as premises, and that the reporter's narration "Trump said he planned a call"
gives no unit. What the shipped model does not do yet is a strict xfail: it fails the day it starts
working, so the expectation is then promoted to a plain assertion.

Two AI helpers (SA, SB) annotated the article blind on 5 December 2026, from the guideline's sections on units, spans,
holders and stance and 80 training reports, without this file or any model output: they marked the same 17 units (at
50% overlap; 16 with the same bounds) with the same labels and holders (experiments/news-history.md). Every type
expected here is theirs, and the expectations marked "both annotators" were added from their annotation; the holder
"US officials" for what the officials briefing the press said is not theirs (both wrote "official" or "US
official").
"""

from __future__ import annotations

import os
import re

import pytest

from mining.features.topic import TopicSimilarityVectorizer
from mining.label.bundle import default_model
from mining.label.miner import ArgumentMiner
from mining.schema import Document
from tests.nlp.test_holders import BERLIN

TOPIC = "Ukraine should cede territory for peace"


@pytest.fixture(scope="module")
def miner() -> ArgumentMiner:
    return ArgumentMiner.from_run(default_model())


@pytest.fixture(scope="module")
def labelled(miner: ArgumentMiner) -> Document:
    if not BERLIN.is_file():
        message = f"example news text not found at {BERLIN}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return miner(BERLIN.read_text(encoding="utf-8"), topic=TOPIC)


def _texts_of(doc: Document, holder: str, labels: tuple[str, ...]) -> list[str]:
    return [u.text for u in doc.units if u.label in labels and u.holder == holder]


def _claims_of(doc: Document, holder: str) -> list[str]:
    return _texts_of(doc, holder, ("claim", "major_claim"))


def _not_yet(holder: str, words: str, reason: str):
    """An expectation the shipped model does not meet yet: a strict xfail (see above)."""
    return pytest.param(holder, words, marks=pytest.mark.xfail(strict=True, reason=reason))


# The model trained on 445 reports (a85ebc4) typed Zelenskyy's quote a premise: its claim score fell short of its
# premise score by 0.825, past claim_allowance (0.75); the model trained on 433 fell short by 0.568 and kept it a claim.
# The one trained on 469 (paragraphs placed by their headlines, 98d2581) fell short by 1.073, the one trained on 481
# (the twenty-sixth re-split) by 1.243, the one trained on 529 (news-506..541 added) by 1.021, the one trained on 589
# (news-494..505 and news-554..601 added) by 1.289, the one trained on 601 (news-542..553 added) by 1.265, the one
# trained on 613 (news-602..613 added) by 1.234, the one trained on 625 (news-614..625 added) by 1.401, the one trained
# on 637 (news-626..637 added) by 1.287, the one trained on 649 (news-638..649 added) by 1.362, the one trained on 661
# (news-650..661 added) by 1.429, the one trained on 673 (news-662..673 added) by 1.458, the one trained on 685
# (news-674..685 added) by 1.275, the one trained on 697 (news-686..697 added) by 1.231, the one trained on 709
# (news-698..709 added) by 1.020, the one trained on the same 709 since asides are frame and "would do" one verb group
# (cb963d0, 7cc1160, ad61907) by 1.034, the one whose type model reads no topic (a426a85) by 1.387, the one trained on
# 721 (news-710..721 added) by 1.501. No report before news-734..745 held "I think", "frankly" or any other opinion
# marker in a unit; the one trained on 733 (news-734..745 added, speakers' own views in the first person) types it a
# claim, 0.185 above a premise, the one trained on 745, 0.317 above, and the one trained on 757 (news-758..769 added:
# judgements in participles and joined cues), 0.703 above, and the one trained on 769 (the forty-first re-split),
# 0.617 above.
@pytest.mark.parametrize(("holder", "words"), [
    ("Volodymyr Zelenskyy", "different positions"),
    # both annotators: what he "acknowledged" is his assessment; the model trained on 721 reports types it a premise,
    # its claim score 1.036 short of its premise score, the one trained on 733, 0.970 short, on 745, 0.971, on 757,
    # 0.865, and on 769, 0.974. The training reports type what a party acknowledges or concedes a premise (96 of 98
    # units), and so did BT, blind, on 17 of 17 (docs/news-corpus-history.md, "Agreement"): the seed's annotators read
    # it otherwise
    _not_yet("Volodymyr Zelenskyy", "disagreements remain over the territories",
             "typed a premise by the model trained on 769 reports, 0.224 past claim_allowance"),
    # both annotators: "a proposal Zelenskyy has resisted" makes its content, [Ukraine to "withdraw" from these
    # regions], his claim against the topic; the models trained on 721, 733 and 745 reports have a premise of the US
    # officials there, frame and all: [the US is pressing Ukraine to "withdraw" from these regions, a]; the one trained
    # on 757 the same premise without ", a", and so does the one trained on 769
    _not_yet("Volodymyr Zelenskyy", "from these regions",
             "a premise of the US officials, with its frame, by the model trained on 769 reports"),
    # the lede, the text's first paragraph: found since paragraphs are placed by their headlines (98d2581)
    ("Volodymyr Zelenskyy", "real progress"),
    # Merz's quote in the last paragraph: every shipped model up to a85ebc4's typed it a claim; the ones trained on 457
    # reports (c47563b, not shipped) and on 469 (98d2581) fell 0.777 and 0.774 short of a claim, past claim_allowance
    # (0.75); the one trained on 481 falls 0.641 short, and the allowance keeps it a claim
    ("Friedrich Merz", "lasting peace in Europe"),
    # "US negotiators still want [Ukraine to give up control ...]": found by the model trained at 7e1e76a, with the
    # speech role position (0555f20); every model from fa0e23c to 296f80d missed it. The one trained on 697 reports
    # finds it but types it a premise: its claim score falls 0.926 short of its premise score, past claim_allowance;
    # the one trained on 709, 0.774 short; the one trained at ad61907, 0.822. Without the topic that model typed it a
    # claim: its type model read the similarity to the topic. The one whose type model reads no topic (a426a85) falls
    # 0.606 short, inside claim_allowance (0.75), and keeps it a claim; the one trained on 721, 0.632 short; on 733,
    # 0.635; on 745, 0.655; on 757, 0.625; on 769, 0.638.
    ("US officials", "give up control of the eastern Donbas"),
    ("US officials", "will not be on the table forever"),
    ("US officials", "positive"),  # "described the Berlin discussions as positive": the verdict is the unit
    ("Friedrich Merz", "the chance for a real peace process"),
    # "slamming Moscow's actions as [Putin's criminal attack]": a verdict, found by the model trained on 529 reports
    # (its claim score 0.267 above its premise score); every shipped model before it and the ones trained on 589 and 601
    # missed it. Since e7a1742 an "as" the parser hangs inside the object marks the verdict for every judging cue,
    # "slam" too, and the model trained on 613 types it a claim, 0.461 above a premise; every shipped model after it up
    # to the one trained on 745 found it. The ones trained on 757 and 769 mark no unit in that sentence: the segmenter
    # proposes it and the type model rejects it by 0.54, past unit_allowance. Since verdict_allowance (dc9c765) a
    # party's verdict is kept like its position, and the model trained on 769 types it a claim, 0.501 above a premise.
    ("Friedrich Merz", "criminal attack"),
])
def test_a_party_position_is_a_claim_of_that_party(labelled: Document, holder: str, words: str):
    claims = [text for text in _claims_of(labelled, holder) if "is pressing" not in text]  # a frame is no position
    assert any(words in text for text in claims), _claims_of(labelled, holder)


# The models trained at fa0e23c .. 16feb2a typed the quote a claim; the one trained at f742193 (349 reports) typed it
# a premise; the position it gives a reason for ('give up control of the eastern Donbas') is found since 7e1e76a. The
# one trained on 685 reports types it a claim again: its claim score falls short of its premise score by 0.744, inside
# claim_allowance (0.75), so the step that leans to claims keeps it one; the one trained on 697, by 0.717; on 709, by
# 0.740; at ad61907, by 0.708. The one whose type model reads no topic (a426a85) falls 1.190 short, past the
# allowance, and types it a premise, as the model of ad61907 did when it was given no topic; the one trained on 721,
# 1.153 short; on 733, 1.111; on 745, 1.089; on 757, 1.154; on 769, 1.103.
@pytest.mark.parametrize(("holder", "words"), [
    ("US officials", "Putin wants territory"),
    # both annotators: why Trump ruled out NATO membership ("portraying Kyiv's alliance aspirations as [a trigger for
    # Moscow's invasion]"); the model trained on 721 reports types the verdict a claim, 0.776 above a premise, and the
    # ones trained on 733, 745, 757 and 769, 0.506, 0.610, 0.708 and 0.778 above
    _not_yet("Donald Trump", "a trigger for Moscow", "typed a claim by the model trained on 769 reports"),
    # both annotators: the reason Merz gives after his position, a sentence of its own; the models trained on 721, 733,
    # 745, 757 and 769 reports join the quote's two sentences into one unit, a claim
    _not_yet("Friedrich Merz", "fate of all Europe",
             "joined to the claim before it by the model trained on 769 reports"),
    # both annotators: what Merz praised the US for is his reason; the model trained on 721 reports scores it a premise
    # by 0.022, the ones trained on 733, 745, 757 and 769 by 0.068, 0.071, 0.122 and 0.124, and claim_allowance (0.75)
    # makes it a claim, "praising" and all: the parser hangs "praising" inside Merz's verdict. Since that participle is
    # frame, as on its cue (70048bf), the span is [the US for offering "substantial" security guarantees] and the
    # model trained on 769 reports scores it a premise by 1.340
    ("Friedrich Merz", "the US for offering"),
])
def test_a_reason_given_is_a_premise_of_its_party(labelled: Document, holder: str, words: str):
    premises = _texts_of(labelled, holder, ("premise",))
    assert any(words in text for text in premises), premises


def test_a_judging_participle_stays_out_of_the_unit(labelled: Document):
    """"praising [the US for offering ...]": the guideline's span of "praising X for Y" leaves the verb out."""
    assert not any("praising" in u.text for u in labelled.units), [u.text for u in labelled.units]


def test_claims_take_a_stance_toward_the_topic_and_frames_stay_out(labelled: Document):
    claims = [u for u in labelled.units if u.label == "claim"]
    assert claims and all(u.stance in ("for", "against") for u in claims)
    assert not any("told reporters" in u.text or "one official said" in u.text for u in labelled.units)


# The lede: Zelenskyy "described [the talks] as "not easy" but said [they had brought "real progress" ...]". The model
# trained on 721 reports left "said" out of his unit (the gap between its two fragments); the ones trained on 733 and
# 745 kept it, and the ones trained on 757 (news-758..769 added, with cues joined on one subject) and 769 leave it out.
# Only "said" is checked: the one saying verb of the article's frames outside its quotes.
def test_a_reported_unit_leaves_said_out(labelled: Document):
    reported = [u.text for u in labelled.units if u.attributes.get("speech") != "quote"]
    assert not any(re.search(r"\bsaid\b", text) for text in reported), reported


# The models trained on 124 and on 172 reports had the US officials and Merz right and Zelenskyy wrong; the ones
# trained on 160, 184, 196 and 208 take every party's side the wrong way round (Zelenskyy, the first party, for
# the topic), and the one trained on 220 (6f41f3a) all but Merz's: stance reads the report's order, not its meaning.
# Since 14666d7 "the US is pressing Ukraine to withdraw" is the US officials' verb (a place acts through its
# officials), and the model trained on 445 reports takes them for the topic. The training reports were written
# proponent first (442 of news-01..481 lead with a claim for the topic's measure), and out of fold the stance step
# turns whole reports led against their topic (benchmarks/end_to_end_cv.py --by-lead). news-506..541, 36 reports led
# against, were added: a throw-away model trained on news-01..481 with them took Zelenskyy and Merz against the
# topic, but the one trained on 529 reports (news-482..493 as well) takes both for it, by small means (Zelenskyy
# +0.33, Merz +0.59 over their claims and premises; Trump, against, -4.07): on this article the side is still a
# matter of a few weights. The one trained on 589 reports (news-554..601, 48 more led against their topic, added) takes
# Zelenskyy against (his mean score -5.98), but the side rests in good part on weights that are no reading of what
# he says: the verb "meet" ("Zelenskyy met with Trump's special envoy") weighs -7.33 and outweighs the first party's
# +3.78; "resist" ("a proposal Zelenskyy has resisted") weighs -1.79. The one trained on 601 reads no party order and
# decides on claims alone (configs/features/stance_topic.yaml): Zelenskyy's one claim scores -6.93, of which his
# verbs give -3.50 ("meet" -2.75, "describe" -2.51, "resist" -1.87, "welcome" +2.28, "tell" +1.86) and his words and
# frame -3.31; Merz's three claims average +0.31 ("the chance for a real peace process" +1.33, "lasting peace in
# Europe" +1.93, "praising the US" -2.32): that a free and sovereign Ukraine is against ceding its land is not in
# the words the step reads. The one trained on 613 gives Zelenskyy -7.48 (his verbs -3.65) and Merz +0.14 over four
# claims, his verdict "Putin's criminal attack" (-1.52) among them; the one trained on 625, Zelenskyy -7.23 and Merz
# +0.10 (+0.61, -2.17, -0.96, +2.91); the one trained on 637, Zelenskyy -7.04 and Merz +0.36 (+0.79, -2.08, -0.79,
# +3.50); the one trained on 649, Zelenskyy -7.31 and Merz +0.15 (+0.35, -1.98, -1.04, +3.28); the one trained on 661,
# Zelenskyy -7.32 and Merz +0.07 (+0.27, -1.87, -1.00, +2.89); the one trained on 673, Zelenskyy -7.14 and Merz +0.06
# (+0.15, -1.82, -1.08, +2.98). The one trained on 685 takes Merz against again, by a mean as small: Zelenskyy -6.96
# and Merz -0.15 (-0.45, -1.69, -1.28, +2.81); the one trained on 697, Zelenskyy -6.62 and Merz -0.39 (-0.71, -1.98,
# -1.34, +2.45); the one trained on 709, Zelenskyy -6.20 and Merz -0.42 (-0.60, -2.03, -1.42, +2.36); the one trained
# at ad61907, Zelenskyy -7.11 and Merz -0.69 (-1.07, -2.14, -1.37, +1.83); the one trained on 721, Zelenskyy -7.19 and
# Merz -0.59 (-0.94, -2.05, -1.03, +1.64). In the ones trained on 733 and 745 the "different positions" quote is his
# second claim, and it leans for the topic: Zelenskyy -2.91 (-6.90, +1.08) and Merz -0.80 (-1.19, -2.50, -0.90,
# +1.39); Zelenskyy -2.90 (-6.76, +0.96) and Merz -0.85 (-1.07, -2.81, -0.92, +1.41). The one trained on 757 marks no
# unit for Merz's verdict "Putin's criminal attack" (-0.92 before), and his mean over three claims turns for the topic
# by as little: Zelenskyy -3.12 (-7.38, +1.15) and Merz +0.17 (-0.17, -2.26, +2.94); the one trained on 769,
# Zelenskyy -3.10 (-7.23, +1.02) and Merz +0.01 (-0.20, -2.32, +2.55). Since verdict_allowance (dc9c765) the same
# model keeps "Putin's criminal attack" (-0.14), and Merz is against again by a hair: -0.03 (-0.20, -2.32, -0.14,
# +2.55). Since "praising" is frame (70048bf) his praise is a premise, no claim, and he is for the topic: +0.74 (-0.20,
# -0.14, +2.55). His quote of a free and sovereign Ukraine scores for ceding land.


@pytest.mark.parametrize(("holder", "stance"), [
    ("US officials", "for"),  # they want Ukraine to give up the Donbas, and "the US is pressing" for it
    pytest.param("Friedrich Merz", "against",  # a free and sovereign Ukraine that can defend itself
                 marks=pytest.mark.xfail(strict=True, reason="for (+0.74) by the model trained on 769 reports")),
    ("Volodymyr Zelenskyy", "against"),  # he resists ceding
])
def test_a_partys_claims_take_its_side_of_the_topic(labelled: Document, holder: str, stance: str):
    stances = [u.stance for u in labelled.units if u.label in ("claim", "major_claim") and u.holder == holder]
    assert stances and set(stances) == {stance}, stances


def test_the_narration_of_a_planned_call_is_no_unit(labelled: Document):
    start = labelled.text.index("he planned a call")
    assert not any(u.start <= start < u.end for u in labelled.units)


# "has previously ruled out [formal NATO membership for Ukraine]": the segmenter proposed it, and the type model of
# d874dfa rejected it by 1.3; kept since position_allowance (8ea23a6)
def test_trump_has_a_position(labelled: Document):
    assert any("formal NATO membership for Ukraine" in text for text in _claims_of(labelled, "Donald Trump"))


def test_only_the_stances_depend_on_the_topic(miner: ArgumentMiner, labelled: Document):
    """The topic decides stances only: without it the same units come out with the same types, holders and relations,
    and no stance (the model of ad61907, whose type model read the topic, typed "US negotiators still want ..." a
    claim without it and a premise with it). Only the stance model of the default model reads the topic at all."""
    bare = miner(BERLIN.read_text(encoding="utf-8"))
    assert [(u.start, u.end, u.label, u.holder) for u in bare.units] == \
        [(u.start, u.end, u.label, u.holder) for u in labelled.units]
    assert [(r.source, r.target, r.label) for r in bare.relations] == \
        [(r.source, r.target, r.label) for r in labelled.relations]
    assert all(u.stance is None for u in bare.units)
    readers = {step for step, model in miner.models.items()
               if any(isinstance(v, TopicSimilarityVectorizer) for v in model.get_params(deep=True).values())}
    assert readers == {"stance"}
