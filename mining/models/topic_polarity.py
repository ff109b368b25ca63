"""Does a topic speak against its own measure? A reading of the topic's verb group and predicate.

A news topic names a measure and says something of it. Most propose it ("Lindmark should ban private
cars ...") or praise it ("... is justified", "... would make its streets safer"); some speak against it
("Ambria's ban on new gas boilers is a mistake", "... is not worth the trouble", "It is too early to let
driverless taxis ..."). A party for the measure is then against the topic, so the stance model learns and
decides the side toward the measure and turns it back on such a topic (mining/models/sides.py).

:func:`speaks_against` finds the topic's verb group: its first modal of proposal ("should", "ought",
"must", "shall", "need" but not "the need") or auxiliary ("is", "would", "will", "has", ...) that no relative
clause takes ("Shops that do not sell ... should ...": after "that", "which" or "who" the first auxiliary
other than a modal of proposal is the clause's; with no other auxiliary after it, it is the topic's). "do" or
"have" right after an auxiliary is in its verb group ("Fining drivers who speed would do little ...": "would do").

- After a modal of proposal only a negation of the verb group ("should not", "should no longer"; not "not
  only") turns the topic: the rest is the measure itself, whose words say nothing of the topic's side
  ("should ban dangerous fireworks" proposes a ban).
- After any other auxiliary, the predicate up to the first "to", "that" or "than" (where the measure or a
  comparison starts again: "is right to ban ...") or up to "worth" (not "worth of": what follows is what the
  measure is weighed against, "is worth what it costs") is the topic's verdict on its measure. A negation of the
  verb group turns the topic, and so do the verdict words (``words``) of the predicate, once however many
  there are ("is a costly mistake"). A verdict word does not count right after a word of remedy ("would
  cut costs", "would protect pets from harm", "is worth the risk"; articles and possessives between them
  are skipped), nor beside "less", "fewer" or "nothing" ("less dangerous", "would cost nothing"). "too"
  followed by a word ("too early", "too much of a burden") turns it once and ends the reading, but not a word of
  delay after waiting ("has waited too long to ban ...": the measure is overdue, which is for it); "not" just
  before "to" ("a mistake not to ban") turns it too. An odd number of turns speaks against the measure
  ("is not a mistake" does not).
- A topic without an auxiliary ("... protects the wrong people", "... goes too far") is read whole for the
  verdict words (with the same exceptions). "too" turns it once and ends the reading, as above, when the word
  after it ends the topic or comes before "to" ("goes too far", "comes too late to ..."), so not in the measure
  ("cars that pollute too much", "drinks too sweet for children"); negations are not read there ("not" also
  negates clauses inside a topic).
- With words of approval (``approval`` of :func:`speaks_against`), a verdict after "would", "will", "has" or a
  form of "be" that none of the readings above turns speaks against its measure unless it holds a word of
  approval, a word ending in "-free" or a verb of remedy: "... would fuel inflation", "... would be money badly
  spent", but "... would make its streets safer", "... would make them car-free", "... is right to ...", "... would
  cut costs". Approval comes in few words, condemnation in many: of the training topics with such a verdict
  (news-01..268), the verdict words alone missed 8 that speak against their measure, and the approval words find
  all 8 and mistake 3 that speak for it ("would pay for itself"). What follows "without" and a gerund after the
  verdict's first word is what the measure fails to do, no approval: "... would slow freight without making the roads
  safer" (a noun in "-ing" reads as a gerund: "... would house families without housing").

It reads words, not a parse: a topic is one short sentence, and the stance step has no parser. The
verdict words come from the caller (``against_words`` of the stance model; the news experiments list them
in configs/model/holder_sides.yaml). A saved run that reads topics this way reads them with the rules of
the installed version.
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
DETERMINERS = frozenset({"a", "an", "the", "no", "any", "every", "its", "their", "his", "her", "our"})
PREDICATE_ENDS = frozenset({"to", "that", "than"})
# Auxiliaries in their bare form, which follow a modal in one verb group ("would do", "will have")
BARE_AUXILIARIES = frozenset({"do", "have"})
# Words after which a verdict word names what the measure remedies or is weighed against, not what it is:
# "would cut costs", "would protect pets from harm", "is worth the risk".
REMEDIES = frozenset({
    "against", "avoid", "curb", "cut", "ease", "end", "fight", "from", "halt", "lower", "prevent", "reduce",
    "remove", "save", "stop", "tackle", "worth",
})
DIMINISHERS = frozenset({"less", "fewer", "nothing"})
# "has waited too long to ban ...", "has taken too long": the measure comes late, not too soon ("would take too long
# to work" is against it)
DELAYS = frozenset({"long", "slow", "slowly"})
WAITING = frozenset({"waited", "delayed", "dithered", "hesitated", "taken"})
# The auxiliaries after which a verdict without approval speaks against its measure ("would", "will", "is", "has");
# not a modal of ability or chance ("Brenholm can afford a stadium").
CONDEMNING = frozenset({"would", "will", "is", "are", "was", "were", "has", "have"})
# A remedy that lets a verdict without approval stand for its measure ("would cut waste"), but no preposition
# ("would drive shoppers away from the old town").
REMEDY_VERBS = REMEDIES - {"against", "from", "worth"}
# "smoke-free", "car-free": without what it names, a state a measure brings about ("would make its streets car-free");
# read as one word that ends in FREE_OF, which approves where a word of approval does. Not "free" alone ("free
# speech", "a free pass", "would free offenders").
FREE_OF = "_free"
_CONTRACTIONS = ((r"\bwon't\b", "will not"), (r"\bcan't\b", "can not"), (r"\bshan't\b", "shall not"),
                 (r"\bcannot\b", "can not"), (r"n't\b", " not"), (r"\b(it|that)'s\b", r"\1 is"))
_WORD = re.compile(r"\w+")


def _words(topic: str) -> list[str]:
    """The topic's words, casefolded; "n't" and "cannot" give "not", "won't" "will not", "it's" "it is", and
    "smoke-free" one word, "smoke_free" (``FREE_OF``)."""
    text = topic.replace("’", "'").casefold()
    for short, long in _CONTRACTIONS:
        text = re.sub(short, long, text)
    return _WORD.findall(re.sub(r"\b(\w+)-free\b", rf"\1{FREE_OF}", text))


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
    in_clause, taken = False, None
    for i, token in enumerate(tokens):
        if token in RELATIVES and i > 0:
            in_clause = True  # "Shops that do not ...": the clause's auxiliary is not the topic's
        elif token in AUXILIARIES and not (token == "need" and i > 0 and tokens[i - 1] in DETERMINERS):
            if token in BARE_AUXILIARIES and i > 0 and tokens[i - 1] in AUXILIARIES:
                continue  # "would do little", "will have cost": the auxiliary before heads this verb group
            if not in_clause or token in PROPOSAL_MODALS:
                return i
            in_clause, taken = False, i if taken is None else taken
    return taken


def speaks_against(topic: str | None, words: Iterable[str], approval: Iterable[str] = ()) -> bool:
    """Whether ``topic`` speaks against its measure (see the module docstring); False without a topic.

    ``words`` are the verdict words, in base form ("harm" also matches "harms" and "harmed"); negations
    among them are left out, since the verb group's negation is read already. With ``approval`` words, a
    verdict after "would", "will", "has" or a form of "be" that no reading above turns speaks against its
    measure unless it holds one of them or a verb of remedy: "... would fuel inflation", "... would be money
    badly spent" but "... would make streets safer", "... would cut waste". A topic that praises its measure
    says so in few words, one that condemns it in many.

    Examples
    --------
    >>> words = ["mistake", "harm"]
    >>> speaks_against("The fireworks ban is a mistake", words), speaks_against("The ban is not a mistake", words)
    (True, False)
    >>> speaks_against("Brenholm should not ban fireworks", words), speaks_against("It is too early to ban them", words)
    (True, True)
    """
    for given in (words, approval):
        if isinstance(given, str):
            raise TypeError(f"words must be a collection of words, not the string {given!r}")
    verdict = {word.casefold() for word in words} - NEGATIONS
    approving = {word.casefold() for word in approval}
    tokens = _words(topic or "")
    group = _verb_group(tokens)
    if group is None:
        too = next((i for i, token in enumerate(tokens[:-1])
                    if token == "too" and tokens[i + 2:i + 3] in ([], ["to"])), None)  # "goes too far (to ...)"
        if too is None:
            return _says_bad(tokens, verdict)
        return not _says_bad(tokens[:too], verdict)  # "goes too far": one turn, and the rest qualifies it
    rest = tokens[group + 1:]
    negated = any(token in NEGATIONS and rest[i + 1:i + 2] != ["only"] for i, token in enumerate(rest[:2]))
    if tokens[group] in PROPOSAL_MODALS:
        return negated
    turns, end = int(negated), len(rest)
    for i, token in enumerate(rest):
        if token in PREDICATE_ENDS:
            end = i
            break
        if token == "worth" and rest[i + 1:i + 2] != ["of"]:  # "is worth what it costs"; not "a year's worth of"
            end = i + 1
            break
        if token == "too" and i + 1 < len(rest):  # "too early to ...": one turn, and the rest qualifies it
            if rest[i + 1] in DELAYS and i > 0 and rest[i - 1] in WAITING:  # the measure is overdue
                return turns % 2 == 1
            end, turns = i, turns + 1
            break
        if token in NEGATIONS and rest[i + 1:i + 2] == ["to"] and i >= 2:
            turns += 1  # "a mistake not to ban ...": the verdict falls on not doing it
    predicate = rest[:end]
    if approving and turns == 0 and tokens[group] in CONDEMNING and not _says_bad(predicate, verdict):
        # "would slow freight without making the roads safer": what comes after "without" and a gerund is what the
        # measure fails to do, no approval of it ("would, without raising taxes, help families" still approves)
        lacks = next((i for i, token in enumerate(predicate) if token == "without" and 0 < i < end - 1
                      and predicate[i + 1].endswith("ing")), end)
        return not any(_forms(token) & approving or token in REMEDY_VERBS or token.endswith(FREE_OF)
                       for token in predicate[:lacks])
    return (turns + _says_bad(predicate, verdict)) % 2 == 1


def _says_bad(tokens: list[str], verdict: set[str]) -> bool:
    """Whether ``tokens`` hold a verdict word that neither follows a word of remedy (articles and possessives
    between them skipped) nor stands beside "less", "fewer" or "nothing"."""
    remedied = False
    for i, token in enumerate(tokens):
        qualified = bool({*tokens[max(i - 1, 0):i], *tokens[i + 1:i + 2]} & DIMINISHERS)
        if _forms(token) & verdict and not remedied and not qualified:
            return True
        if token in REMEDIES:
            remedied = True
        elif token not in DETERMINERS:
            remedied = False  # a remedy covers the next word only: "would cut costs", not "cut traffic harms"
    return False
