"""Resolve the party behind every cue: a named person, a group, cited evidence, or a pronoun's antecedent."""

from __future__ import annotations

from spacy.tokens import Token

from mining.evaluation.holders import normalise_holder
from mining.nlp.holders.cues import cue_subject
from mining.nlp.holders.groups import ROLE_NOUNS, group_name
from mining.nlp.holders.layout import TextLayout
from mining.nlp.holders.names import ORG_WORDS, TITLE_WORDS, PersonNames
from mining.nlp.holders.quotes import QuoteIndex
from mining.nlp.holders.records import Party
from mining.nlp.speech import CUE_LEMMAS, is_cue
from mining.nlp.tokens import tokens_of
from mining.schema import AUTHOR, UNKNOWN

# Subjects that are evidence rather than parties: "A study estimated that X" is the author citing
# a source, which the sample corpus annotates as author voice.
NONAGENT_NOUNS = frozenset("""
    study report survey estimate figure data analysis research poll statistic document review audit
    forecast model paper assessment evaluation index census projection calculation investigation
    inquiry evidence article book law rule regulation guideline bill proposal plan policy treaty
    agreement record test trial experiment chart table graph map
""".split())

# A spokesperson's words belong to the body they speak for (docs/news-guideline.md, "Holder").
SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen", "spokeswomen"})
# Lawyers speak for their client the same way, when the text names it ("Lawyers for the council").
SPEAKERS_FOR = SPOKESPEOPLE | {"lawyer", "lawyers", "attorney", "attorneys", "counsel"}
_DETERMINERS = frozenset({"the", "a", "an", "one", "this", "that", "these", "those", "some"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_GROUP_PRONOUNS = frozenset({"they", "them"})
_FIRST_PERSON = frozenset({"i", "we", "me", "us"})
_NOT_PARTY_ENTITIES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "NORP"})
_ADJECTIVE_TAGS = frozenset({"JJ", "JJR", "JJS", "NNP"})  # "senior", "Hallundish" before a role noun

# The most recent party of each kind, and of any kind, that a pronoun may refer back to.
Memory = dict[str, "Party | None"]


def subject_head(subject: Token) -> Token:
    """The word that names the party in the subject phrase ``subject`` heads."""
    phrase = list(subject.subtree)
    # "An official briefing AFP indicated", "A senior Hallundish official briefing journalists said":
    # the tagger reads "official" as an adjective and the participle's object as the head; a
    # determiner, adjectives, then a role noun name the party whatever the parse says.
    if len(phrase) > 2 and phrase[0].lower_ in _DETERMINERS:
        for token in phrase[1:-1]:
            if token.lower_ in ROLE_NOUNS and token.i != subject.i and token.tag_ not in ("NNP", "NNPS"):
                return token
            if token.tag_ not in _ADJECTIVE_TAGS:
                break
    # "The company's chief executive, Laura Chen, said", "The developer, Nordvind Energy, says",
    # "The mayor of Porto Selva, Carmen Idris, proposed" (the name hung under "Selva"): the apposed
    # name. A spokesperson's name is not the party: the body spoken for is (below).
    apposed = _apposed_name(subject)
    if apposed is not None:
        return apposed
    # "Deputy mayor for housing Lucia Ferraro": a bare title (no determiner) whose name the
    # parser hung under a preposition. "A spokesman for Merz" keeps its determiner and its head.
    if subject.lower_ in TITLE_WORDS and not any(c.dep_ == "det" for c in subject.children):
        for prep in subject.children:
            if prep.dep_ != "prep":
                continue
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.ent_type_ == "PERSON":
                    return obj
    return subject


def _apposed_name(subject: Token) -> Token | None:
    """The proper name set off by commas after ``subject``, a singular common noun or "one", if any."""
    singular_noun = subject.pos_ == "NOUN" and subject.tag_ != "NNS"
    # "One of them, Drevnia, said": a quantifier picks out the party the name gives.
    if not (singular_noun or subject.lower_ == "one") or subject.lower_ in SPOKESPEOPLE:
        return None
    for token in subject.subtree:
        # A name apposed to a common noun inside the phrase names that noun ("Officials at the grid
        # operator, DrevNet"); apposed to a name ("Porto Selva, Carmen Idris") it names the subject.
        if token.dep_ != "appos" or token.i < subject.i or (token.head != subject and token.head.pos_ != "PROPN"):
            continue
        if token.pos_ == "PROPN" and token.ent_type_ not in _NOT_PARTY_ENTITIES:
            return token
    return None


class PartyResolver:
    """Resolves the party of every cue outside the direct quotes of one document, in text order.

    Parameters
    ----------
    layout : TextLayout
        The text's paragraphs and tokens.
    quotes : QuoteIndex
        Its quotes: cues inside direct quotes are the quoted speaker's words, not frames.
    names : PersonNames
        The people it names.

    Attributes
    ----------
    parties : dict of int to Party or None
        Cue token index -> the party speaking through it (None when the cue has no subject).
    groups : list of Party
        The group and individual parties named so far, which later mentions may repeat.
    """

    def __init__(self, layout: TextLayout, quotes: QuoteIndex, names: PersonNames):
        self.layout = layout
        self.quotes = quotes
        self.names = names
        self.parties: dict[int, Party | None] = {}
        self.groups: list[Party] = []

    def resolve(self) -> dict[int, Party | None]:
        """Resolve every cue's party in text order, so that pronouns see the parties before them."""
        memory: Memory = {"person": None, "individual": None, "group": None, "any": None}
        doc = self.layout.doc
        # Only a cue ("according" or a verb with a cue lemma, see ``is_cue``) or a noun subject of a main
        # clause can be either kind of token below: the token table finds them without building a Token
        # for every word.
        table = tokens_of(doc)
        lower, pos, dep, lemma, heads = table.lower, table.pos, table.dep, table.lemma, table.heads
        candidates = [i for i in range(table.n)
                      if (pos[i] == "VERB" and lemma[i].lower() in CUE_LEMMAS) or lower[i] == "according"
                      or (dep[i] == "nsubj" and pos[i] in ("PROPN", "NOUN") and dep[heads[i]] == "ROOT")]
        for token in map(doc.__getitem__, candidates):
            if token.is_space or self.quotes.in_quote(token.idx) is not None:
                continue
            if is_cue(token):
                subject = cue_subject(token, self.layout.paragraph_of(token.idx))
                party = self.party_of(subject, memory) if subject is not None else None
                self.parties[token.i] = party
            elif token.dep_ == "nsubj" and token.head.dep_ == "ROOT" and token.pos_ in ("PROPN", "NOUN"):
                # Subjects of other main clauses ("Smith arrived on Monday. He said ...") are
                # antecedents for pronouns, but no holders.
                party = self._person(subject_head(token))
            else:
                continue
            if party is not None and party.kind in memory:
                memory["any"] = party
                memory[party.kind] = party
        return self.parties

    def party_of(self, subject: Token, memory: Memory) -> Party | None:
        """The party the subject ``subject`` names, with pronouns resolved through ``memory``."""
        head = subject_head(subject)
        lower = head.lower_
        if head.pos_ == "PRON" or lower in _PERSON_PRONOUNS | _GROUP_PRONOUNS | _FIRST_PERSON | {"it"}:
            if lower in _PERSON_PRONOUNS:
                found = memory["person"] or memory["individual"] or memory["any"]
            elif lower in _GROUP_PRONOUNS:
                found = memory["group"] or memory["any"]
            elif lower == "it":
                found = memory["group"]
            elif lower in _FIRST_PERSON:
                return Party(AUTHOR, "nonagent")  # "we" outside quotes: the author's voice
            else:
                return None
            return found or Party(UNKNOWN, "unknown")
        person = self._person(head)
        if person is not None:
            return person
        if lower in SPEAKERS_FOR:
            body = self._spoken_for(head, memory)
            if body is not None:
                return body
        if head.pos_ == "NOUN" and head.lemma_.lower() in NONAGENT_NOUNS:
            return Party(AUTHOR, "nonagent")
        return self._group(*group_name(head, self.layout))

    def _spoken_for(self, head: Token, memory: Memory) -> Party | None:
        """The body the spokesperson or lawyer ``head`` speaks for: "a spokesperson for the union", "the
        union's spokesman", "its spokesman" (the most recent group), "union spokesperson" (a compound names
        the body for a spokesperson only: "defence lawyers" name no client); None if unnamed."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of"):
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return self.party_of(objs[0], memory)
            elif child.dep_ == "poss":
                return memory["group"] if child.lower_ in ("its", "their") else self.party_of(child, memory)
        compounds = [c for c in head.lefts if c.dep_ == "compound"] if head.lower_ in SPOKESPEOPLE else []
        return self._group(*group_name(compounds[-1], self.layout)) if compounds else None

    def _person(self, head: Token) -> Party | None:
        """The named person ``head`` ends, or None if it names no person."""
        name = self.names.person_name(head)
        return Party(name, "person") if name is not None else None

    def _group(self, name: str, head: Token) -> Party:
        """The party ``name`` headed by ``head``, or the earlier party it repeats."""
        words = set(normalise_holder(name).split())
        lemma = head.lemma_.lower()
        for group in reversed(self.groups):
            # "the union" after "the Nurses' Union", and "one official" after "US officials": a
            # bare head, or a subset of an earlier party's words, repeats that party.
            if group.lemma == lemma and (words <= set(normalise_holder(group.name).split())
                                         or not words - {head.lower_, lemma}):
                return group
        singular = head.pos_ == "NOUN" and head.tag_ == "NN" and lemma not in ORG_WORDS
        party = Party(name, "individual" if singular else "group", lemma)
        self.groups.append(party)
        return party
