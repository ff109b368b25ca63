"""Topic polarity: which topics speak against their own measure (mining/models/topic_polarity.py), with the
verdict words of the news experiments (configs/model/holder_sides.yaml). The topics are invented for the
test; none is a corpus topic."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mining.models.topic_polarity import speaks_against

CONFIG = yaml.safe_load((Path(__file__).parents[2] / "configs/model/holder_sides.yaml").read_text())
WORDS, APPROVAL = CONFIG["against_words"], CONFIG["approval_words"]


@pytest.mark.parametrize(("topic", "against"), [
    # a proposal: only a negation of its verb group turns it; the measure's own words do not
    ("Brenholm should ban fireworks on New Year's Eve", False),
    ("Brenholm should ban dangerous fireworks", False),
    ("Brenholm should not ban fireworks", True),
    ("Brenholm shouldn't ban fireworks", True),
    ("Brenholm should no longer fund the fireworks display", True),
    ("Brenholm ought to scrap its failed fireworks licence", False),
    ("Brenholm should stop selling fireworks to tourists", False),  # a proposal to stop is for stopping
    ("Shops that do not sell safe fireworks should be closed", False),  # the subject's clause is not the group
    ("The May fireworks ban should not be renewed", True),  # "May" is no modal
    ("Brenholm need not ban fireworks", True),
    ("Brenholm should not only ban fireworks but also fine sellers", False),
    # a verdict on the measure: its predicate speaks
    ("Brenholm's fireworks ban is a mistake", True),
    ("Brenholm's fireworks ban is not a mistake", False),  # two turns
    ("Brenholm's fireworks ban isn’t worth the trouble", True),  # a typographic apostrophe
    ("Brenholm's fireworks ban is worth the cost", False),  # what it is weighed against
    ("Brenholm's fireworks ban is worth every penny it costs", False),  # all of it, however far from "worth"
    ("Brenholm's fireworks ban is a mistake worth the cost", True),  # the verdict before "worth" still speaks
    ("Brenholm's fireworks ban would put millions worth of trade at risk", True),  # "worth of" weighs nothing
    ("Selling off a year's worth of Brenholm's road budget harms its villages", True),
    ("Banning fireworks in Brenholm would harm its shopkeepers", True),
    ("Banning fireworks in Brenholm will backfire", True),
    ("Banning fireworks in Brenholm won't work", True),
    ("Banning fireworks in Brenholm did not work", True),
    ("Banning fireworks in Brenholm would confuse visitors", True),
    ("Banning fireworks in Brenholm would make its streets less dangerous", False),
    ("Banning fireworks in Brenholm would make its streets safer", False),
    ("Banning fireworks in Brenholm would cut the cost of cleaning the streets", False),  # what it remedies
    ("Banning fireworks in Brenholm would protect pets from harm", False),
    ("Banning fireworks in Brenholm would cost nothing", False),
    ("Banning fireworks in Brenholm would cost less than the clean-up", False),
    ("Banning fireworks in Brenholm would hurt shopkeepers too", True),  # "too" at the end is "also"
    ("It is too early to ban fireworks in Brenholm", True),
    ("It's too early to ban fireworks in Brenholm", True),
    ("It is too costly to keep fireworks legal in Brenholm", True),  # one turn, with the word it qualifies
    ("Keeping fireworks legal in Brenholm is too much of a burden", True),
    ("It would be a mistake not to ban fireworks in Brenholm", False),
    ("Brenholm is right to ban fireworks that harm pets", False),  # the measure starts again after "to"
    ("Brenholm's fireworks ban has outlived its purpose", True),
    ("Brenholm's fireworks plan, which has cost millions, is a mistake", True),
    ("Brenholm's fireworks ban is costly and unfair", True),  # two verdict words turn it once
    ("Banning fireworks in Brenholm would harm shops and hurt jobs", True),
    ("Banning fireworks in Brenholm would stop the waste and harm shops", True),  # a remedy covers one word
    ("There is no need to ban fireworks in Brenholm", True),  # "the need", "no need": a noun, not a modal
    ("The need for a fireworks ban in Brenholm is not proven", True),
    ("The fireworks ban is a mistake that Brenholm should undo", True),  # the clause's modal is not the group
    ("The fee that sellers pay is not a mistake", False),  # a clause without an auxiliary of its own
    ("Summit's plan to ban fireworks is a mistake", True),  # "'s" of a name is no "is"
    ("Transit's fireworks ban has not failed", False),
    # no verb group: the whole topic is read for the verdict words, with the same exceptions
    ("Banning fireworks in Brenholm harms its shopkeepers", True),
    ("Brenholm's ban on fireworks protects the wrong people", True),
    ("Brenholm's ban on fireworks protects pets from harm", False),
    ("Brenholm's plan to cut fireworks harms shops", True),
    ("Brenholm's fireworks ban goes too far", True),
    ("Brenholm's fireworks ban harms shops too", True),  # a final "too" is no verdict
    ("Brenholm's fireworks ban comes too late to save the pets", True),
    ("Banning cars that pollute too much protects children", False),  # the measure's own "too"
    ("A levy on drinks too sweet for children protects their teeth", False),
    ("Brenholm's levy protects shops too, and workers", False),
    ("", False),
    (None, False),
])
def test_a_topic_speaks_against_its_measure_in_its_verb_group_and_predicate(topic, against):
    assert speaks_against(topic, WORDS) is against


def test_a_topic_is_read_for_the_words_it_is_given():
    assert speaks_against("Banning fireworks in Brenholm would spoil the festival", WORDS) is False
    assert speaks_against("Banning fireworks in Brenholm would spoil the festival", ["Spoil"]) is True
    assert speaks_against("Brenholm's fireworks ban is a mistake", ()) is False
    assert speaks_against("Brenholm should not ban fireworks", ()) is True  # a negation needs no word
    # a negation among the words is the verb group's, read once
    assert speaks_against("Brenholm's fireworks ban is not a mistake", ["mistake", "not"]) is False
    with pytest.raises(TypeError, match="collection of words"):
        speaks_against("Brenholm's fireworks ban is a mistake", "mistake")
    assert all(word == word.casefold() and " " not in word for word in WORDS)


@pytest.mark.parametrize(("topic", "against"), [
    # a verdict with no verdict word and no approval speaks against its measure
    ("Closing Brenholm's harbour to cruise ships would empty its cafes", True),
    ("Brenholm's new parking rules would push shoppers out of town", True),
    ("Selling the Brenholm ferry would be money thrown away", True),
    # ... but not with a word of approval or of remedy, nor with a verdict word that a negation turns back
    ("Closing Brenholm's harbour to cruise ships would make its old town safer", False),
    ("Closing Brenholm's harbour to cruise ships would make its old town car-free", False),
    ("Closing Brenholm's harbour to cruise ships would give its ferries a free pass", True),  # not "-free"
    ("Brenholm's new speech code would stifle free debate", True),
    ("Brenholm's ferry subsidy is money well spent", False),
    ("Brenholm's new parking rules deserve a fair trial", False),
    ("Brenholm is right to close its harbour to cruise ships", False),
    ("A deposit on bottles would cut litter on Brenholm's beaches", False),
    ("Brenholm's fireworks ban is not a mistake", False),
    ("Brenholm's fireworks ban is a mistake", True),
    ("Late opening for Brenholm's bars would revive its old town", False),
    ("Brenholm has waited too long to ban fireworks", False),  # too long: the measure is overdue
    ("It is too early to ban fireworks in Brenholm", True),
    ("Brenholm's fireworks ban would take too long to work", True),  # late to work is no delay of the measure
    ("Brenholm's parking rules would drive shoppers away from the old town", True),  # "from" is no remedy
    ("A car ban is the answer to Brenholm's traffic", False),
    # what the measure would do without doing: what follows "without" and a gerund is no approval
    ("Brenholm's bus lane rule would slow its buses without making cyclists safer", True),
    ("Brenholm's bus lane rule would make cyclists safer without slowing its buses", False),
    ("Brenholm should let cafes open late without asking for a permit", False),  # a proposal's measure
    # a relative clause without an auxiliary of its own: "would do" is the topic's verb group, not "do"
    ("Fining cyclists who ride on pavements would do little to make Brenholm safer", True),
    ("A curfew for under-16s would do little to make Brenholm safer", True),
    ("Brenholm's bus lane rule would, without raising fares, make cyclists safer", False),
    ("The power that the mayor has should be given to the council", False),  # the clause's auxiliary, then the modal
    ("The work that the council does is a disgrace", True),
    ("Brenholm can afford a new stadium", False),  # no verdict after "can"
    # a proposal, and a topic with no auxiliary, read as without approval words
    ("Brenholm should close its harbour to cruise ships", False),
    ("Brenholm should not close its harbour to cruise ships", True),
    ("Brenholm's fireworks ban empties its streets", False),
])
def test_a_verdict_without_approval_speaks_against_its_measure(topic, against):
    assert speaks_against(topic, WORDS, APPROVAL) is against
    with pytest.raises(TypeError, match="collection of words"):
        speaks_against(topic, WORDS, "right")
