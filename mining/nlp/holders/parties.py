"""Resolve the party behind every cue: a named person, a group, cited evidence, or a pronoun's antecedent."""

from __future__ import annotations

from itertools import islice, takewhile

from spacy.tokens import Token

from mining.evaluation.holders import normalise_holder
from mining.nlp.holders.cues import cue_subject
from mining.nlp.holders.groups import group_name, kind_before_name
from mining.nlp.holders.layout import TextLayout
from mining.nlp.holders.misparses import misread_given_name, name_set_off
from mining.nlp.holders.names import PersonNames
from mining.nlp.holders.quotes import QuoteIndex
from mining.nlp.holders.records import Party
from mining.nlp.party_words import ORG_WORDS, ROLE_NOUNS, TITLE_WORDS
from mining.nlp.speech import QUESTION_TAGS, QUOTE_MARKS, STUDY_NOUNS, is_attribution_cue
from mining.nlp.tokens import tokens_of
from mining.schema import AUTHOR, UNKNOWN

# Subjects that are evidence or measures rather than parties: "A study estimated that X", "Three deaths suggest X",
# "A fee that waits for full stadiums asks the clubs to X" are the author weighing a source or a measure, which the
# sample corpus and docs/news-guideline.md annotate as author voice. A list, not a reading of animacy: "Four floods
# suggest X" names the floods as a party. "account" is a body's books ("Fjallby's accounts") and also an online account,
# which names no party either ("Accounts linked to the ministry claimed X": the reporter's). A place's or a body's
# "experience" is evidence too ("Lindmark's experience suggests X"), and money and a text's parts are measures as a fee
# and a law are ("Money for collections answers the villages' main complaint").
NONAGENT_NOUNS = frozenset("""
    study report survey estimate figure data analysis research poll statistic document review audit
    forecast model paper assessment evaluation index census projection calculation investigation
    inquiry evidence article book law rule regulation guideline bill proposal plan policy treaty
    agreement record test trial experiment chart table graph map
    number count arithmetic finding death ban decree fee toll tax levy vote
    account experience clause provision amendment money funding grant budget subsidy
""".split())

# A spokesperson's words belong to the body they speak for (docs/news-guideline.md, "Holder").
SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen", "spokeswomen"})
# Lawyers speak for their client the same way, when the text names it ("Lawyers for the council").
SPEAKERS_FOR = SPOKESPEOPLE | {"lawyer", "lawyers", "attorney", "attorneys", "counsel"}
_DETERMINERS = frozenset({"the", "a", "an", "one", "this", "that", "these", "those", "some"})
_GENDER = {"he": "he", "him": "he", "she": "she", "her": "she"}  # each person pronoun's subject form
_PERSON_PRONOUNS = frozenset(_GENDER)
# Subjects naming one speaker whose party is not themselves: a later "he" or "she" is that party.
_ONE_SPEAKER = _PERSON_PRONOUNS | {"spokesman", "spokeswoman", "spokesperson", "lawyer", "attorney", "counsel"}
# Words that say only that a spokesperson speaks for some body ("a company spokesman"): the body is the one
# the text has just named, unless it named one of that kind before.
_ANY_BODY = frozenset({"company", "firm", "corporation", "business", "group", "operator"})
# Texts that carry their author's words: "their joint statement said X" is the authors speaking.
SPEECH_PRODUCTS = frozenset("statement letter declaration communique petition submission manifesto".split())
# The texts whose source a later "the study" or "the statement" repeats (not a law or a plan: "the decree promises X")
_TEXTS = STUDY_NOUNS | SPEECH_PRODUCTS
_GROUP_PRONOUNS = frozenset({"they", "them"})
_SUBORDINATE = frozenset({"advcl", "relcl", "acl"})  # clauses that say where, when or which, not what happened
_SUBJECTS = ("nsubj", "nsubjpass")
_FIRST_PERSON = frozenset({"i", "we", "me", "us"})
_PRONOUN_WORDS = _PERSON_PRONOUNS | _GROUP_PRONOUNS | _FIRST_PERSON | {"it"}  # pronouns the parser may tag otherwise
_NOT_PARTY_ENTITIES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "NORP"})
_AMOUNTS = frozenset({"DATE", "TIME", "MONEY", "QUANTITY"})  # a term, a time, a sum: no one speaks
_SHARES = _NOT_PARTY_ENTITIES - _AMOUNTS - {"NORP"}  # "a third", "60 percent" (of voters): someone, but not one party
_ADJECTIVE_TAGS = frozenset({"JJ", "JJR", "JJS", "NNP"})  # "senior", "Hallundish" before a role noun

# The most recent party of each kind, and of any kind, that a pronoun may refer back to.
Memory = dict[str, "Party | None"]


def _is_pronoun(head: Token) -> bool:
    """Whether ``head`` is a pronoun, by its tag or its word; "the US" is a place (GPE), not "us"."""
    return head.pos_ == "PRON" or (head.lower_ in _PRONOUN_WORDS and head.ent_type_ != "GPE")


def subject_head(subject: Token) -> Token:
    """The word that names the party in the subject phrase ``subject`` heads."""
    before = subject.doc[subject.i - 1] if subject.i > 0 else None
    # "..., the owner of the store, Per Aalund, said" with "," the subject: the name before it (not a subject itself,
    # which names the party already)
    if (subject.is_punct and before is not None and before.pos_ in ("PROPN", "NOUN")
            and not before.dep_.startswith("nsubj") and before.ent_type_ not in _NOT_PARTY_ENTITIES):
        subject = before
    phrase = list(subject.subtree)  # walked once: each walk builds a Token per word and per child list
    named = (_briefer(subject, phrase) or _name_before(subject) or _second_subject(subject)
             or _misread_name_in_phrase(subject, phrase))
    if named is not None:
        return named
    # "The company's chief executive, Laura Chen, said", "The developer, Nordvind Energy, says",
    # "The mayor of Porto Selva, Carmen Idris, proposed" (the name hung under "Selva"): the apposed
    # name. A spokesperson's name is not the party: the body spoken for is (below).
    apposed = _apposed_name(subject, phrase)
    if apposed is not None:
        return apposed
    # "An official briefing AFP indicated", "A senior Hallundish official briefing journalists said":
    # the tagger reads "official" as an adjective and the participle's object as the head; a
    # determiner, adjectives, then a role noun name the party whatever the parse says.
    if len(phrase) > 2 and phrase[0].lower_ in _DETERMINERS:
        for token in phrase[1:-1]:
            # not the possessor of a body's name ("The residents' group Marvik Lives")
            if (token.lower_ in ROLE_NOUNS and token.i != subject.i and token.tag_ not in ("NNP", "NNPS")
                    and token.dep_ != "poss"):
                return token
            if token.tag_ not in _ADJECTIVE_TAGS:
                break
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


def _misread_name_in_phrase(subject: Token, phrase: list[Token]) -> Token | None:
    """The name in ``subject``'s phrase (``phrase``, its subtree) that opens with a misread given name ("its chief
    executive, Per Ahlberg,", wherever the parser hung "Per")."""
    return next((n for t in phrase if t.i > subject.i and (n := misread_given_name(t)) is not None), None)


def _briefer(subject: Token, phrase: list[Token]) -> Token | None:
    """The role noun before "briefing" when the parser took the outlet briefed for the subject: in "A senior
    ministry official briefing Norpress said" and "A diplomat from a member state briefing the News Agency
    said", the outlet is told, and the official or the diplomat speaks. ``phrase`` is the subject's subtree."""
    doc = subject.doc
    phrase = [t for t in phrase if t.i < subject.i]
    before = doc[subject.left_edge.i - 1] if subject.left_edge.i > 0 else None
    # "briefing the News Agency said": a participle right before the subject ("At an official briefing the
    # minister said" names the minister)
    briefing = next((t for t in phrase if t.lower_ == "briefing"),
                    before if before is not None and before.tag_ == "VBG" else None)
    if briefing is None or briefing.lower_ != "briefing":
        return None
    for token in reversed(doc[briefing.sent.start:briefing.i]):
        if token.pos_ in ("VERB", "AUX") or token.is_punct:
            return None
        # the tagger may read "official" as an adjective
        if token.lower_ in ROLE_NOUNS and token.pos_ in ("NOUN", "ADJ"):
            return token
    return None


# Verbs whose subject puts out the text it names: "three former ministers signed a letter".
_PUBLISHING = frozenset("sign write send issue publish release".split())


def _signers(text: Token, pstart: int) -> Token | None:
    """The subject of the clause that named the statement or letter ``text`` ("the letter") before it in its
    paragraph (from ``pstart``), when that clause carries it ("In a joint letter, three former ministers urged X")
    or puts it out ("... signed a letter"): "The letter said Y" is theirs. Not a letter someone received, read or
    rejected, nor one "from" a party (the text names its author: ``PartyNamer._source_of``)."""
    if text.lemma_.lower() not in SPEECH_PRODUCTS or not any(
            c.dep_ == "det" and c.lower_ in ("the", "this") for c in text.children):
        return None
    earlier = next((t for t in reversed(text.doc[:text.i]) if t.idx >= pstart and t.lemma_ == text.lemma_), None)
    if earlier is None or any(c.dep_ == "prep" and c.lower_ in ("from", "by") for c in earlier.children):
        return None
    clause = next((a for a in earlier.ancestors if a.pos_ == "VERB"), None)
    carried = earlier.dep_ == "pobj" and earlier.head.lower_ == "in" and earlier.head.head == clause
    if clause is None or not (carried or (earlier.dep_ == "dobj" and clause.lemma_.lower() in _PUBLISHING)):
        return None
    return next((c for c in clause.children if c.dep_ == "nsubj"), None)


def _apposed_name(subject: Token, phrase: list[Token]) -> Token | None:
    """The proper name set off by commas after ``subject``, a singular common noun or "one", if any; ``phrase`` is
    the subject's subtree."""
    # The tagger reads the last word of "director-general" as an adjective.
    singular_noun = subject.pos_ in ("NOUN", "ADJ") and subject.tag_ != "NNS"
    # "The Children's Ombudsman, Helle Strand": a title the tagger calls a proper noun, apposed a person's name.
    titled_name = subject.tag_ == "NNP" and not subject.ent_type_  # no person, organisation or place
    # "One of them, Drevnia, said": a quantifier picks out the party the name gives.
    if not (singular_noun or titled_name or subject.lower_ == "one") or (
            subject.lower_ in SPOKESPEOPLE and not _portfolio(subject)):
        return None
    for token in phrase:
        # A name apposed to a common noun inside the phrase names that noun ("Officials at the grid
        # operator, DrevNet"); apposed to a name ("Porto Selva, Carmen Idris") it names the subject,
        # and so does one apposed to the subject's own apposed title ("The chair, the economist Ada Berg").
        if token.dep_ != "appos" or token.i < subject.i:
            continue
        head = token.head
        titled = head.dep_ == "appos" and head.head == subject and head.pos_ == "NOUN"
        # A person's name names the subject wherever the parser hung it in the noun phrase ("The chief executive
        # of the hospital trust, Wim Vollmer"): a person is no trust. Not in a clause of its own ("who runs X").
        in_phrase = token.ent_type_ == "PERSON" and not any(
            a.pos_ in ("VERB", "AUX") for a in takewhile(lambda a: a != subject, token.ancestors))
        # A name with a comma between it and the subject's verb closes the subject when the parser hung it on a plural,
        # which one name cannot be ("The charity that would run the tents, Safer Nights, said"); hung on a singular it
        # may name that noun ("The official who audits the regulator, Ofgem, said").
        end = token.right_edge.i
        closing = end + 2 == subject.head.i and subject.doc[end + 1].text == "," and head.tag_ in ("NNS", "NNPS")
        if head != subject and head.pos_ != "PROPN" and not titled and not in_phrase and not closing:
            continue
        # The small model may call a name of two words or more a nationality ("The ombudsman, Agnes Lundqvist,", "the
        # Swedish Social Democrats"): apposed to the subject, it still names it.
        entity = token.ent_type_
        if entity == "NORP" and any(c.dep_ == "compound" for c in token.children):
            entity = ""
        if token.pos_ == "PROPN" and entity not in _NOT_PARTY_ENTITIES and (not titled_name or entity == "PERSON"):
            return token
        # "The bill's author, the Green member of parliament Nanna Holt, said": an apposed title that ends in a name
        last = token.right_edge
        first = last
        while first.i > token.i and first.doc[first.i - 1].pos_ == "PROPN":
            first = first.doc[first.i - 1]
        if (singular_noun and head == subject and token.pos_ == "NOUN" and last.pos_ == "PROPN"
                and last.ent_type_ == "PERSON" and first.doc[first.i - 1].pos_ == "NOUN"):  # not "an adviser to X"
            return last
    return name_set_off(subject)  # a body's name set off after it that the parser hung elsewhere


def _name_before(subject: Token) -> Token | None:
    """The name before an apposition that the parser took for the subject: in "Jan Vesely, a political
    scientist at the university, said", "scientist" may head the subject and "Vesely" hang from the verb."""
    doc = subject.doc
    first = subject.left_edge
    if (subject.tag_ != "NN" or subject.lower_ in SPEAKERS_FOR or first.lower_ not in ("a", "an") or first.i < 2
            or doc[first.i - 1].text != ","):  # "Ada Lund, a spokeswoman for the union, said": the union's words
        return None
    name = doc[first.i - 2]
    if name.like_num and first.i >= 4 and doc[first.i - 3].text == ",":  # "Pau Roig, 66, a retired mechanic, said"
        name = doc[first.i - 4]
    if name.pos_ == "PROPN" and name.ent_type_ not in _PLACES_AND_TIMES and (
            name.head == subject.head or subject.head == name):
        return name
    return None


def _second_subject(subject: Token) -> Token | None:
    """The party of the name that the parser made a second subject of the verb, right after a singular common noun:
    "The novelist Vera Lind called X", "The board's chair, the former judge Ada Berg, said"."""
    if subject.dep_ != "nsubj" or subject.tag_ != "NN":
        return None
    doc, after = subject.doc, subject.right_edge.i + 1
    after += after < len(doc) and doc[after].text == ","
    for sibling in subject.head.children:
        if sibling.dep_ == "nsubj" and sibling.i > subject.i and sibling.left_edge.i == after:
            named = subject_head(sibling)
            return named if named.pos_ == "PROPN" else None
    return None


# Relatives, with the pronoun that would be theirs.
_KIN = {**dict.fromkeys("son father husband brother grandson grandfather".split(), "he"),
        **dict.fromkeys("daughter mother wife sister granddaughter grandmother".split(), "she"),
        **dict.fromkeys("child children parent parents".split(), "")}


def _kin_of(subject: Token) -> Token | None:
    """The named person whose relative ``subject`` is ("Ada Lind's son"), if any."""
    owner = next((c for c in subject.children if c.dep_ == "poss"), None) if subject.lower_ in _KIN else None
    return owner if owner is not None and owner.pos_ == "PROPN" else None


def _speaks_for_another(head: Token) -> bool:
    """Whether the subject ``head`` is one person speaking for a party: "she", "a spokesman for X", "Ada Lund,
    a spokeswoman for X"."""
    return head.lower_ in _ONE_SPEAKER or any(c.dep_ == "appos" and c.lower_ in SPOKESPEOPLE for c in head.children)


def _portfolio(spokesperson: Token) -> bool:
    """Whether ``spokesperson`` speaks on a field ("its trade spokeswoman"), not for a body ("a company spokesman").

    A party's spokesperson on a field is one of its politicians, holding the positions under their
    own name when the text gives it; a body's spokesperson speaks for the body.
    """
    return any(c.dep_ == "compound" and c.pos_ == "NOUN" and c.lower_ not in ORG_WORDS for c in spokesperson.children)


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
    namer : PartyNamer
        Names the party of each subject, remembering the bodies and studies named so far.
    """

    def __init__(self, layout: TextLayout, quotes: QuoteIndex, names: PersonNames):
        self.layout = layout
        self.quotes = quotes
        self.parties: dict[int, Party | None] = {}
        self.namer = PartyNamer(layout, names)

    def resolve(self) -> dict[int, Party | None]:
        """Resolve every cue's party in text order, so that pronouns see the parties before them."""
        # "singular": the most recent one person speaking, named or not, that "he"/"she" refer back to;
        # "plural": the most recent group named as a subject, speaking or not, that "others" refers to.
        # "it": the most recent body, or study with its source, that spoke or did something ("when the audit office
        # checked the refusals, it found X").
        memory: Memory = {"group": None, "any": None, "singular": None, "plural": None, "it": None}
        # Only a cue ("according" or a verb with a cue lemma: ``is_attribution_cue``) or a noun subject or apposition
        # can be any kind of token below: the token table finds them without building a Token for every word.
        table = tokens_of(self.layout.doc)
        pos, dep = table.pos, table.dep
        cues = self.layout.cue_words
        candidates = [i for i in range(table.n)
                      if i in cues or (dep[i] in ("nsubj", "nsubjpass", "appos") and pos[i] in ("PROPN", "NOUN"))]
        for token in map(self.layout.doc.__getitem__, candidates):
            if token.is_space or self.quotes.in_quote(token.idx) is not None:
                continue
            if token.dep_ in _SUBJECTS and not is_attribution_cue(token.head):  # a cue's own is resolved at the cue
                self._note_subject(token, memory)
            singly = False
            if is_attribution_cue(token):
                subject = cue_subject(token, self.layout.paragraph_of(token.idx))
                if subject is not None and self.quotes.in_quote(subject.idx) is not None:
                    subject = _frame_word(token, self.quotes)  # the parse took a quoted word for the speaker
                party = self.namer.party_of(subject, memory) if subject is not None else None
                self.parties[token.i] = party
                # "A spokeswoman for the union said X. '...,' she said": "she" is the union again.
                singly = subject is not None and _speaks_for_another(self.namer.head_of(subject))
                if party is not None and _is_text(subject) and party.kind not in ("nonagent", "unknown"):
                    # "A study by the institute found X. But it found Y", "The study said Z"
                    memory["it"] = self.namer.documents[subject.lemma_.lower()] = party
                elif party is not None and party.kind == "group" and (
                        token.dep_ not in _SUBORDINATE or token.tag_ == "VBG" or _sets_scene(token)):
                    memory["it"] = party
            elif token.dep_ in _SUBJECTS and token.head.dep_ == "ROOT" and token.pos_ in ("PROPN", "NOUN"):
                # Subjects of other main clauses ("Smith arrived on Monday. He said ...", "Smith, 24, was fined") are
                # antecedents for pronouns, but no holders; so is the one whose relative the subject is ("Ada Lind's son
                # repeated a year. 'X,' she said").
                party = self.namer.person(self.namer.head_of(token))
                if party is None and (owner := _kin_of(token)) is not None and (person := self.namer.person(owner)):
                    party = Party(person.name, "person", token.lower_)  # the relative's noun: see _antecedent
            elif token.dep_ == "appos":
                self._name_kind(token)
                continue
            else:
                continue
            if party is not None and party.kind in ("person", "individual", "group"):
                memory["any"] = party
                if party.kind == "group":
                    memory["group"] = memory["plural"] = party
            if party is not None and (singly or party.kind in ("person", "individual")) and not self._reported(token):
                memory["singular"] = party
        return self.parties

    def _note_subject(self, subject: Token, memory: Memory) -> None:
        """Remember what the subject ``subject`` of a clause that is no cue may be to later mentions: a group, for
        "others" and "they" ("Local doctors were divided. Others said X"); a body, for "it" ("When the audit office
        checked the refusals, it found X"); and the source of a study it makes ("The trust published a review. The
        review concluded X", which also names it as a group that later mentions may repeat). Not one in another's words
        ("she said the council had failed"), nor a group in a clause saying when or which ("Farmers blocked a road while
        police looked on"), nor a body whose clause sets the scene for an "it" in another's words."""
        verb = subject.head
        if subject.tag_ == "NNS" and verb.dep_ not in _SUBORDINATE and not self._reported(subject):
            name, head = group_name(self.namer.head_of(subject), self.layout)
            memory["plural"] = Party(name, "group", head.lemma_.lower())
        if subject.dep_ != "nsubj":
            return
        # the subject itself, or the name set beside it ("The developer, Nordvind Energy, closed the plant")
        body = _is_body(subject) or (any(c.dep_ == "appos" for c in subject.children)
                                     and _is_body(self.namer.head_of(subject)))
        made = None
        if verb.lemma_.lower() in _MAKING:
            made = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in _TEXTS), None)
        if not (body or made) or self._reported(verb.head if _sets_scene(verb) else subject):
            return
        if body and (verb.dep_ not in _SUBORDINATE or _sets_scene(verb)):  # not "after the union called a strike"
            name, noun = group_name(self.namer.head_of(subject), self.layout)
            memory["it"] = _repeated(self.namer.groups, name, noun) or Party(name, "group", noun.lemma_.lower())
        party = self.namer.party_of(subject, memory) if made is not None else None
        if party is not None and party.kind not in ("nonagent", "unknown"):
            self.namer.documents[made.lemma_.lower()] = party

    def _name_kind(self, appos: Token) -> None:
        """Remember a body the text names with its kind ("an aid agency, Open Hands", "Zippa, the largest
        platform"), so that a later "the agency" or "the platform" is that body, not an older mention."""
        head = appos.head
        name, noun = (appos, head) if appos.pos_ == "PROPN" else (head, appos)
        if name.pos_ != "PROPN" or noun.pos_ != "NOUN" or noun.tag_ != "NN" or name.ent_type_ in _NOT_PARTY_ENTITIES:
            return
        if noun.lower_ in TITLE_WORDS | ROLE_NOUNS:  # "its chair, Ada Berg": a person, not a kind of body
            return
        self.namer.groups.append(Party(group_name(name, self.layout)[0], "group", noun.lemma_.lower()))

    def _reported(self, token: Token) -> bool:
        """Whether ``token`` is in another cue's words in its paragraph ("she said the town could support X": not the
        next speaker), not its subject ("Ana Lind was told X"); a headline run into the line is no cue above it."""
        pstart, pend = self.layout.paragraph_of(token.idx)
        skip = 1 if token.dep_ in _SUBJECTS else 0  # a subject is not in its own cue's words
        return any(pstart <= a.idx < pend and is_attribution_cue(a) for a in islice(token.ancestors, skip, None))


class PartyNamer:
    """Names the party a subject names, as a document's cues are met in text order.

    Parameters
    ----------
    layout : TextLayout
        The text's paragraphs and tokens.
    names : PersonNames
        The people it names.

    Attributes
    ----------
    groups : list of Party
        The group and individual parties named so far, which later mentions may repeat.
    documents : dict of str to Party
        The party behind the latest study, report or statement of each kind ("survey"), which "the survey" repeats.
    """

    def __init__(self, layout: TextLayout, names: PersonNames):
        self.layout = layout
        self.names = names
        self.groups: list[Party] = []
        self.documents: dict[str, Party] = {}  # a study's or statement's lemma -> the party it came from, latest
        self._heads: dict[int, Token] = {}  # subject token index -> its subject_head

    def head_of(self, subject: Token) -> Token:
        """:func:`subject_head` of ``subject``, worked out once per document: resolving the parties asks for the
        head of most subjects two or three times (as a clause's subject, as a cue's, and for the party it names)."""
        head = self._heads.get(subject.i)
        if head is None:
            head = self._heads[subject.i] = subject_head(subject)
        return head

    def party_of(self, subject: Token, memory: Memory) -> Party | None:
        """The party the subject ``subject`` names, with pronouns resolved through ``memory``."""
        if (name := _clause_name(subject)) is not None:  # "Save the Young Hallund said X"
            return self._group(name, subject)
        head = self.head_of(subject)
        lower = head.lower_
        if _is_pronoun(head):
            found = _antecedent(lower, memory)
            return self._of_gender(found, head) if lower in _GENDER else found
        # "Returning the money to households answers X" (an act), "Three years for a third burglary answers X" (a term):
        # no party; the author's words
        if head.tag_ == "VBG" or head.ent_type_ in _AMOUNTS:
            return Party(AUTHOR, "nonagent")
        others = _others(head, memory)
        if others is not None:
            return others
        person = self.person(head) if kind_before_name(head) is None else None  # "Adoptees' group Roots Corvenia"
        if person is not None:
            # "said Ada Lund, a spokeswoman for the Tenants' Union": she speaks for the union, as a lawyer for a client.
            roles = [c for c in head.children if c.dep_ == "appos" and c.lower_ in SPEAKERS_FOR and not _portfolio(c)]
            return (self._spoken_for(roles[0], memory) if roles else None) or person
        if lower in SPEAKERS_FOR:
            body = self._spoken_for(head, memory)
            if body is not None:
                return body
        introduced = ((self.names.introduced_as(head) or self.names.introduced_later(head))
                      if lower not in SPEAKERS_FOR else None)
        if introduced is not None:  # "the novelist" after "Vera Lind, a novelist"; a lede's "a grocer", named later
            return Party(introduced, "person")
        lemma = head.lemma_.lower() if head.pos_ == "NOUN" else ""
        if lemma in NONAGENT_NOUNS or lemma in SPEECH_PRODUCTS:
            source = self._source_of(head, memory)
            if source is not None:
                return source
            if lemma in self.documents and _definite(head):  # "The study said X" after "a study by the institute"
                return self.documents[lemma]
            if lemma in NONAGENT_NOUNS:
                return Party(AUTHOR, "nonagent")
        return self._group(*group_name(head, self.layout))

    def _of_gender(self, found: Party, pronoun: Token) -> Party:
        """The antecedent ``found`` of the person pronoun ``pronoun``, unless the text gives it the other gender: then
        the person of the pronoun's gender mentioned last, if any ("Agnes Pruitt met Olav Ring. Pruitt thanked him.
        He said X" is Ring's)."""
        gender = _GENDER[pronoun.lower_]
        if found.kind != "person" or self.names.gender(found.name) in (None, gender):
            return found
        other = self.names.last_of_gender(pronoun.i, gender)
        return Party(other, "person") if other else found

    def _source_of(self, head: Token, memory: Memory) -> Party | None:
        """The party a text or a piece of evidence ``head`` comes from, if the text names it.

        A statement or letter is its author's speech: "their joint statement said X", "a letter from the union
        said X". A study, report or set of figures by a named party ("a study by the Harbour Institute found X",
        "a study it commissioned", "its figures", "a study published by doctors at X") is that party's finding,
        which the reporter cites: the party holds the finding, but a unit that names the study itself is the
        reporter's citation (kind "cited").
        """
        lemma = head.lemma_.lower()
        for child in head.children:
            maker = child if child.dep_ == "poss" else _maker(child)
            if maker is None or maker.ent_type_ in _NOT_PARTY_ENTITIES:  # "figures from last winter"
                continue
            found = self._possessor(maker, memory) if maker is child else self.party_of(maker, memory)
            if found is None or found.kind in ("nonagent", "unknown") or lemma in SPEECH_PRODUCTS:
                return found
            return Party(found.name, "cited", found.lemma)
        signers = _signers(head, self.layout.paragraph_of(head.idx)[0])  # "In a joint letter, X urged Y"
        return None if signers is None else self.party_of(signers, memory)

    def _spoken_for(self, head: Token, memory: Memory) -> Party | None:
        """The body the spokesperson or lawyer ``head`` speaks for: "a spokesperson for the union", "the
        union's spokesman", "its spokesman" (the most recent group), "Zippa spokesperson", "union spokesperson"
        (a compound names the body for a spokesperson only: "defence lawyers" name no client); else the party
        that spoke last ("a spokeswoman", "a company spokesman" where no company was named)."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of"):
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return self.party_of(objs[0], memory)
            elif child.dep_ == "poss":
                return self._possessor(child, memory)
        if head.lower_ not in SPOKESPEOPLE:
            return None
        compounds = [c for c in head.lefts if c.dep_ == "compound"]
        body = group_name(compounds[-1], self.layout) if compounds else None
        if body is not None and (compounds[-1].lemma_.lower() not in _ANY_BODY or _repeated(self.groups, *body)):
            return self._group(*body)  # "Zippa spokesman", "union spokeswoman", "company spokesman" after a company
        # "Zippa said it would leave. A company spokesman said X", "The Bankers' Association said Y. A
        # spokeswoman said X": a spokesperson for some body the text has not named, or for none, speaks for
        # the party that spoke last, as "its spokesman" does.
        last = memory["group"] or memory["any"]
        if last is not None:
            return last
        return self._group(*body) if body is not None else None

    def _possessor(self, poss: Token, memory: Memory) -> Party | None:
        """The party a possessive names: "its" / "their" the most recent group, else the possessor itself."""
        return memory["group"] if poss.lower_ in ("its", "their") else self.party_of(poss, memory)

    def person(self, head: Token) -> Party | None:
        """The named person ``head`` ends, or None if it names no person."""
        name = self.names.person_name(head)
        return Party(name, "person") if name is not None else None

    def _group(self, name: str, head: Token) -> Party:
        """The party ``name`` headed by ``head``, or the earlier party it repeats."""
        earlier = _repeated(self.groups, name, head)
        if earlier is not None:
            return earlier
        lemma = head.lemma_.lower()
        if head.ent_type_ in _SHARES:  # "about a fifth of those told X": no one that a later "she" or "others" means
            return Party(name, "share", lemma)
        singular = head.pos_ == "NOUN" and head.tag_ == "NN" and lemma not in ORG_WORDS
        party = Party(name, "individual" if singular else "group", lemma)
        self.groups.append(party)
        return party


# Verbs that make a study, a set of figures or a letter: "a study it commissioned", "a trial that X ran", "a letter
# signed by 300 economists" (not "a study that critics dismissed").
_MAKING = frozenset("commission run conduct carry publish release compile produce prepare do hold write sign".split())


def _maker(child: Token) -> Token | None:
    """Who made the text or evidence that ``child`` modifies, if ``child`` names them: "by X" / "from X", a
    relative clause's subject ("a study [it commissioned]", "a trial [that Morrstat ran]") or a participle's agent
    ("a study [published in 2025 by X]")."""
    if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from"):
        return next((c for c in child.children if c.dep_ == "pobj"), None)
    if child.dep_ not in ("relcl", "acl") or child.lemma_.lower() not in _MAKING:
        return None
    subject = next((c for c in child.children if c.dep_ == "nsubj" and c.tag_ not in QUESTION_TAGS
                    and c.lower_ != "that"), None)
    by = next((c for c in child.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")), None)
    return subject or (None if by is None else next((c for c in by.children if c.dep_ == "pobj"), None))


_NAME_LINKS = frozenset({"the", "of", "for", "and", "a", "an", "to", "in", "on", "our", "their"})


def _clause_name(subject: Token) -> str | None:
    """The name a clausal subject is, as written, if it is one: a name that opens with a verb ("Save the Young
    Hallund said X") is parsed as a clause. A name has two capitalised words or more, and only small linking words
    ("the", "of", "for"), hyphens and apostrophes besides."""
    if subject.dep_ != "csubj":
        return None
    phrase = subject.doc[subject.left_edge.i:subject.right_edge.i + 1]
    capitalised = [t for t in phrase if t.text[:1].isupper()]
    named = len(capitalised) >= 2 and all(t.text[:1].isupper() or t.lower_ in _NAME_LINKS
                                          or t.text in ("-", "'", "’", "'s", "’s") for t in phrase)
    return phrase.text if named else None


def _antecedent(pronoun: str, memory: Memory) -> Party | None:
    """The party the pronoun ``pronoun`` (lowercased) refers back to, through ``memory``."""
    if pronoun in _PERSON_PRONOUNS:
        found = memory["singular"] or memory["any"]  # the most recent one speaker, not the last name
        # met through a relative ("Tom Berg's daughter was bullied"): "she" may be the daughter, whom no one named
        if found is not None and found.kind == "person" and _KIN.get(found.lemma) == _GENDER[pronoun]:
            return Party(UNKNOWN, "unknown")
    elif pronoun in _GROUP_PRONOUNS:
        # "Farmers blocked the motorway. They said X": with no speaker before, the group named as a subject
        found = memory["group"] or memory["any"] or memory["plural"]
    elif pronoun == "it":
        found = memory["it"]
    elif pronoun in _FIRST_PERSON:
        return Party(AUTHOR, "nonagent")  # "we" outside quotes: the author's voice
    else:
        return None
    return found or Party(UNKNOWN, "unknown")


def _repeated(groups: list[Party], name: str, head: Token) -> Party | None:
    """The most recent of ``groups`` that ``name`` headed by ``head`` repeats, if any: "the union" after "the
    Nurses' Union", and "one official" after "US officials" (a bare head, or a subset of its words)."""
    words = set(normalise_holder(name).split())
    lemma = head.lemma_.lower()
    for group in reversed(groups):
        # "the railway's own counts" after "Lindmark State Railways": a name's plural head, repeated in the singular
        if group.lemma in (lemma, f"{lemma}s") and (words <= set(normalise_holder(group.name).split())
                                                    or not words - {head.lower_, lemma}):
            return group
    return None


def _is_body(noun: Token) -> bool:
    """Whether ``noun`` names an organisation: one of its words ("office", "union") or an ORG entity."""
    return noun.tag_ in ("NN", "NNP") and (noun.lemma_.lower() in ORG_WORDS or noun.ent_type_ == "ORG")


def _sets_scene(verb: Token) -> bool:
    """Whether the clause of ``verb`` comes before a clause whose subject is "it", which it sets the scene for: "When
    the audit office checked the refusals, it found X"."""
    return verb.dep_ == "advcl" and verb.i < verb.head.i and any(
        c.dep_ == "nsubj" and c.lower_ == "it" for c in verb.head.children)


def _definite(noun: Token) -> bool:
    """Whether ``noun`` repeats one met before: "the study", "this report", "the same survey"."""
    return any((c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those"))
               or (c.dep_ == "amod" and c.lower_ == "same") for c in noun.children)


def _is_text(subject: Token) -> bool:
    """Whether the subject ``subject`` is a study, a report or a statement, which "it" or "the study" may repeat."""
    return subject.pos_ == "NOUN" and subject.lemma_.lower() in _TEXTS


def _others(head: Token, memory: Memory) -> Party | None:
    """The group that "others" or "one of them" picks from: the most recent group named as a subject.

    "Others said ..." resolves like a pronoun to that group (docs/news-guideline.md, "Holder": news-06's
    "Others" are local doctors); "one of them" is one member of it, named in the singular as the
    guideline names "One diplomat" "diplomat".
    """
    lower = head.lower_
    group = memory["plural"]
    if group is None or lower not in ("others", "one"):
        return None
    if lower == "others":
        return group
    if not any(c.dep_ == "prep" and c.lower_ == "of" and any(o.lower_ in _GROUP_PRONOUNS for o in c.children)
               for c in head.children):
        return None
    words = group.name.split()
    member = " ".join(words[:-1] + [group.lemma]) if group.lemma and words[-1].lower() != group.lemma else group.name
    return Party(member, "individual", group.lemma)


_PLACES_AND_TIMES = _NOT_PARTY_ENTITIES | {"GPE", "LOC", "FAC"}  # "said on Tuesday", "said in Brussels"


def _frame_word(cue: Token, quotes: QuoteIndex) -> Token | None:
    """The speaker's word in the frame of a quote whose cue the parser gave a quoted subject ('"A tax you can
    impose once," its president, Lukas Terzic, said, "..."'): the last proper noun, else noun, else pronoun
    of the words around the cue (up to the quotes and the sentence's edges) that no preposition governs,
    that names no place or time ("said on Tuesday", "said in Brussels") and that the cue does not tell ("told
    the Estmark Press Agency")."""
    doc = cue.doc

    def framing(t: Token) -> bool:
        return quotes.in_quote(t.idx) is None and t.text not in QUOTE_MARKS

    left = cue.i
    while left > 0 and framing(doc[left - 1]) and not doc[left].is_sent_start:
        left -= 1
    right = cue.i + 1
    while right < len(doc) and framing(doc[right]) and not doc[right].is_sent_start:
        right += 1
    # "told the Estmark Press Agency": whom the cue tells is no speaker.
    told = {t.i for c in cue.children if c.dep_ in ("dobj", "dative") for t in c.subtree}
    frame = [t for t in doc[left:right] if t.i != cue.i and t.i not in told and t.ent_type_ not in _PLACES_AND_TIMES
             and not any(a.dep_ == "prep" for a in t.ancestors if left <= a.i < right)]
    for pos in ("PROPN", "NOUN", "PRON"):
        words = [t for t in frame if t.pos_ == pos]
        if words:
            return words[-1]
    return None
