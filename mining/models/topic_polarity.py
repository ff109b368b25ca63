"""Does a topic speak against its own measure? A reading of the topic's verb group and predicate.

A news topic names a measure and says something of it. Most propose it ("Lindmark should ban private
cars ...") or praise it ("... is justified", "... would make its streets safer"); some speak against it
("Ambria's ban on new gas boilers is a mistake", "... is not worth the trouble", "It is too early to let
driverless taxis ..."). A party for the measure is then against the topic, so the stance model learns and
decides the side toward the measure and turns it back on such a topic (mining/models/sides.py).

:func:`speaks_against` finds the topic's verb group: its first modal of proposal ("should", "ought",
"must", "shall", "need") if it has one, else its first auxiliary ("is", "would", "will", "has", ...) outside
a relative clause of the subject ("Shops that do not ...").

- After a modal of proposal only a negation of the verb group ("should not", "should no longer"; not "not
  only") turns the topic: the rest is the measure itself, whose words say nothing of the topic's side
  ("should ban dangerous fireworks" proposes a ban).
- After any other auxiliary, the predicate up to the first "to", "that" or "than" (where the measure or a
  comparison starts again: "is right to ban ...") is the topic's verdict on its measure. A negation of the
  verb group turns the topic, and so does each verdict word (``words``) in the predicate, except one after
  a word of remedy ("would cut costs", "would protect pets from harm", "is worth the risk") or one that
  "less", "fewer" or "nothing" qualify ("less dangerous", "would cost nothing"). "too" followed by a
  word ("too early", "too much of a burden") turns it once and ends the reading; "not" just before "to"
  ("a mistake not to ban") turns it too. An odd number of turns speaks against the measure ("is not a
  mistake" does not).
- A topic without an auxiliary ("... protects the wrong people") is read whole for the verdict words
  (with the same exceptions); negations and "too" are not read there: "not" also negates clauses inside
  a topic.

It reads words, not a parse: a topic is one short sentence, and the stance step has no parser. The
verdict words come from the caller (``against_words`` of the stance model; the news experiments list them
in configs/topic/verdict.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PROPOSAL_MODALS = frozenset({"should", "ought", "must", "shall", "need"})
AUXILIARIES = PROPOSAL_MODALS | frozenset({
    "is", "are", "was", "were", "would", "will", "can", "could", "might", "has", "have", "had", "does", "do", "did",
})
# The verb group's own negation; stance_cues.NEGATIONS, a wider set, counts negative words anywhere in a unit.
NEGATIONS = frozenset({"not", "never", "no"})
RELATIVES = frozenset({"that", "which", "who"})
PREDICATE_ENDS = frozenset({"to", "that", "than"})
# Words after which a verdict word names what the measure remedies or is weighed against, not what it is:
# "would cut costs", "would protect pets from harm", "is worth the risk".
REMEDIES = frozenset({
    "against", "avoid", "curb", "cut", "ease", "end", "fight", "from", "halt", "lower", "prevent", "reduce",
    "remove", "save", "stop", "tackle", "worth",
})
LESS = frozenset({"less", "fewer", "nothing"})
_CONTRACTIONS = (("won't", "will not"), ("can't", "can not"), ("shan't", "shall not"), ("cannot", "can not"),
                 ("n't", " not"), ("it's", "it is"), ("that's", "that is"))
_WORD = re.compile(r"\w+")


def topic_words(topic: str) -> list[str]:
    """The topic's words, casefolded; "n't" and "cannot" give "not", "won't" "will not", "it's" "it is"."""
    text = topic.replace("’", "'").casefold()
    for short, long in _CONTRACTIONS:
        text = text.replace(short, long)
    return _WORD.findall(text)


def _forms(word: str) -> set[str]:
    """``word`` and the base forms it may inflect: harms, harmed, harming -> harm; confused -> confuse."""
    forms = {word}
    for suffix, base in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
                         ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.add(word[: -len(suffix)] + base)
    return forms


def _verb_group(tokens: list[str]) -> int | None:
    """The index of the topic's verb group (see the module docstring), or None."""
    proposal = next((i for i, token in enumerate(tokens) if token in PROPOSAL_MODALS), None)
    if proposal is not None:
        return proposal
    in_clause = False
    for i, token in enumerate(tokens):
        if token in RELATIVES and i > 0:
            in_clause = True  # a relative clause of the subject: its auxiliary is not the topic's
        elif token in AUXILIARIES:
            if not in_clause:
                return i
            in_clause = False
    return None


def speaks_against(topic: str | None, words: Iterable[str]) -> bool:
    """Whether ``topic`` speaks against its measure (see the module docstring); False without a topic.

    ``words`` are the verdict words, in base form ("harm" also matches "harms" and "harmed"); negations
    among them are left out, since the verb group's negation is read already.

    Examples
    --------
    >>> words = ["mistake", "harm"]
    >>> speaks_against("The fireworks ban is a mistake", words), speaks_against("The ban is not a mistake", words)
    (True, False)
    >>> speaks_against("Brenholm should not ban fireworks", words), speaks_against("It is too early to ban them", words)
    (True, True)
    """
    if isinstance(words, str):
        raise TypeError(f"words must be a collection of words, not the string {words!r}")
    verdict = {word.casefold() for word in words} - NEGATIONS
    tokens = topic_words(topic or "")
    group = _verb_group(tokens)
    if group is None:
        return _verdicts(tokens, verdict) % 2 == 1
    rest = tokens[group + 1:]
    negated = any(token in NEGATIONS and rest[i + 1:i + 2] != ["only"] for i, token in enumerate(rest[:2]))
    if tokens[group] in PROPOSAL_MODALS:
        return negated
    turns, end = int(negated), len(rest)
    for i, token in enumerate(rest):
        if token in PREDICATE_ENDS:
            end = i
            break
        if token == "too" and i + 1 < len(rest):  # "too early to ...": one turn, and the rest qualifies it
            end, turns = i, turns + 1
            break
        if token in NEGATIONS and rest[i + 1:i + 2] == ["to"] and i >= 2:
            turns += 1  # "a mistake not to ban ...": the verdict falls on not doing it
    return (turns + _verdicts(rest[:end], verdict)) % 2 == 1


def _verdicts(tokens: list[str], verdict: set[str]) -> int:
    """How many of ``tokens`` are verdict words, leaving out those after a word of remedy and those that
    "less", "fewer" or "nothing" qualify."""
    count, remedied = 0, False
    for i, token in enumerate(tokens):
        remedied = remedied or token in REMEDIES
        qualified = bool({*tokens[max(i - 1, 0):i], *tokens[i + 1:i + 2]} & LESS)
        count += bool(_forms(token) & verdict) and not remedied and not qualified
    return count
