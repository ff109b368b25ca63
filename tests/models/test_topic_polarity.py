"""Topic polarity: which topics speak against their own measure (mining/models/topic_polarity.py). The topics
are invented for the test, none is a corpus topic."""

from __future__ import annotations

import pytest

from mining.models.topic_polarity import VERDICT_WORDS, speaks_against


@pytest.mark.parametrize(("topic", "against"), [
    # a proposal: only a negation of its verb group turns it; the measure's own words do not
    ("Brenholm should ban fireworks on New Year's Eve", False),
    ("Brenholm should ban dangerous fireworks", False),
    ("Brenholm should not ban fireworks", True),
    ("Brenholm shouldn't ban fireworks", True),
    ("Brenholm should no longer fund the fireworks display", True),
    ("Brenholm ought to scrap its failed fireworks licence", False),
    ("Brenholm should stop selling fireworks to tourists", False),  # a proposal to stop is for stopping
    # a verdict on the measure: its predicate speaks
    ("Brenholm's fireworks ban is a mistake", True),
    ("Brenholm's fireworks ban is not a mistake", False),  # two turns
    ("Brenholm's fireworks ban isn’t worth the trouble", True),  # a typographic apostrophe
    ("Banning fireworks in Brenholm would harm its shopkeepers", True),
    ("Banning fireworks in Brenholm harms its shopkeepers", True),  # no verb group: the whole topic is read...
    ("Brenholm's ban on fireworks protects the wrong people", True),  # ...for the verdict words
    ("Banning fireworks in Brenholm will backfire", True),
    ("Banning fireworks in Brenholm would confuse visitors", True),
    ("Banning fireworks in Brenholm would make its streets less dangerous", False),  # "less" and "dangerous"
    ("Banning fireworks in Brenholm would make its streets safer", False),
    ("It is too early to ban fireworks in Brenholm", True),
    ("It is too costly to keep fireworks legal in Brenholm", True),  # "too" turns once, with the word it qualifies
    ("Banning fireworks in Brenholm would cost less than the clean-up", False),  # "cost" and "less"
    ("Brenholm is right to ban fireworks that harm pets", False),  # the measure starts again after "to"
    ("Brenholm's fireworks ban has outlived its purpose", True),
    ("Brenholm's fireworks ban costs more than it saves", True),  # no verb group: "costs" is read
    ("", False),
    (None, False),
])
def test_a_topic_speaks_against_its_measure_in_its_verb_group_and_predicate(topic, against):
    assert speaks_against(topic) is against


def test_a_topic_is_read_for_the_words_it_is_given():
    assert speaks_against("Banning fireworks in Brenholm would spoil the festival") is False
    assert speaks_against("Banning fireworks in Brenholm would spoil the festival", {"spoil"}) is True
    assert speaks_against("Brenholm's fireworks ban is a mistake", ()) is False
    assert speaks_against("Brenholm should not ban fireworks", ()) is True  # a negation needs no word
    assert all(word == word.casefold() and " " not in word for word in VERDICT_WORDS)
