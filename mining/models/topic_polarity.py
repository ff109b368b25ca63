"""Does a topic speak against its own measure? A reading of the topic's verb group and predicate.

A news topic names a measure and says something of it. Most propose it ("Lindmark should ban private
cars ...") or praise it ("... is justified", "... would make its streets safer"); some speak against it
("Ambria's ban on new gas boilers is a mistake", "... is not worth the trouble", "It is too early to let
driverless taxis ..."). A party for the measure is then against the topic, so the stance model learns and
decides the side toward the measure and turns it back on such a topic (mining/models/sides.py).

The reading (:func:`speaks_against`) looks for the topic's verb group, its first auxiliary or modal:

- after a modal of proposal ("should", "ought", "must", "shall"), only a negation in the verb group turns
  the topic ("should not", "should no longer"): the rest is the measure itself, whose words say nothing of
  the topic's side ("should ban dangerous dogs" proposes a ban);
- after any other ("is", "would", "will", "has", ...), the predicate up to the first "to", "that" or
  "than" (where the measure or a comparison starts again: "is right to ban ...") is the topic's verdict on
  its measure. Each word of ``words`` in it, a negation in the verb group, each "less" or "fewer" and each
  "too" ("too early", with the word it qualifies) turns the topic once: an odd number of turns speaks
  against the measure ("is not a mistake" and "would make streets less dangerous" do not);
- a topic without an auxiliary ("... protects the wrong people") is read whole for ``words``, negations
  left out: "not" also negates clauses inside a topic.

It reads words, not a parse: a topic is one short sentence, and the stance step has no parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Words that say a measure is bad when a topic's predicate applies them to it: mistakes, harms, failures,
# costs and excess, in general English (not the training topics' own words alone). Base forms; inflected
# forms match (see _forms).
VERDICT_WORDS = (
    "backfire", "bad", "betray", "burden", "confuse", "cost", "costly", "counterproductive", "cripple", "damage",
    "danger", "dangerous", "destroy", "discriminate", "disproportionate", "endanger", "erode", "error",
    "excessive", "fail", "failure", "flawed", "futile", "hamper", "harm", "harmful", "hinder", "hurt",
    "irresponsible", "mislead", "misguided", "mistake", "mistaken", "obsolete", "obstruct", "outlive",
    "penalise", "penalize", "pointless", "poor", "punish", "reckless", "risk", "risky", "ruin", "threaten",
    "undermine", "unfair", "unjust", "unjustified", "unnecessary", "unwise", "useless", "waste", "wasteful",
    "weaken", "worse", "worsen", "wrong",
)
PROPOSAL_MODALS = frozenset({"should", "ought", "must", "shall"})
AUXILIARIES = PROPOSAL_MODALS | frozenset({
    "is", "are", "was", "were", "would", "will", "can", "could", "may", "might", "has", "have", "had", "does", "do",
})
NEGATIONS = frozenset({"not", "never", "no"})
LESS = frozenset({"less", "fewer"})
PREDICATE_ENDS = frozenset({"to", "that", "than"})
_WORD = re.compile(r"\w+")


def topic_words(topic: str) -> list[str]:
    """The topic's words, casefolded; "n't" and "cannot" give "not"."""
    text = topic.replace("’", "'").casefold().replace("cannot", "can not").replace("n't", " not")
    return _WORD.findall(text)


def _forms(word: str) -> set[str]:
    """``word`` and the base forms it may inflect: harms, harmed, harming -> harm; confused -> confuse."""
    forms = {word}
    for suffix, base in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
                         ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.add(word[: -len(suffix)] + base)
    return forms


def speaks_against(topic: str | None, words: Iterable[str] = VERDICT_WORDS) -> bool:
    """Whether ``topic`` speaks against its measure (see the module docstring); False without a topic."""
    tokens = topic_words(topic or "")
    verdict = set(words)
    said = lambda token: bool(_forms(token) & verdict)  # noqa: E731
    group = next((i for i, token in enumerate(tokens) if token in AUXILIARIES), None)
    if group is None:
        return sum(map(said, tokens)) % 2 == 1
    rest = tokens[group + 1:]
    turns = int(any(token in NEGATIONS for token in rest[:2]))
    if tokens[group] in PROPOSAL_MODALS:
        return turns == 1
    skip = False
    for token in rest:
        if token in PREDICATE_ENDS:
            break
        if skip:
            skip = False
        elif token == "too":
            turns, skip = turns + 1, True
        else:
            turns += token in LESS or said(token)
    return turns % 2 == 1
