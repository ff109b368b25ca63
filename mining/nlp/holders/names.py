"""Person names: one canonical name per person, the fullest PERSON name with the same surname, titles dropped."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

# Words that make a proper name an organisation's ("Coastal Alliance", "Riverside FC").
ORG_WORDS = frozenset("""
    alliance association union council group party federation club trust company committee authority
    department agency institute university bank corporation corp inc ltd plc fc ministry office
    board commission court police army foundation society league network fund government parliament
    congress senate assembly campaign coalition partnership centre center school hospital airport port
    airlines airways news times post press organisation organization
""".split())

# Titles, offices and occupations news style puts in front of a name ("German Chancellor Friedrich
# Merz", "Farmer Aled Price"): stripped, with everything before them, from a person's name.
TITLE_WORDS = frozenset("""
    president chancellor minister prime mayor councillor councilor chairman chairwoman chair
    secretary governor senator judge general director chief head dr mr mrs ms miss prof professor
    sir dame lord lady king queen prince princess pope deputy officer commissioner ambassador envoy
    spokesman spokeswoman spokesperson representative rep sen gov ceo leader captain coach manager
    teacher librarian police opposition board club energy health economy transport finance foreign
    interior defence defense justice education regional local state federal vice acting former
    managing executive founder lawyer attorney inspector sergeant detective superintendent
    nurse doctor dr. surgeon midwife farmer fisherman engineer architect economist analyst scientist
    researcher student activist campaigner organiser organizer tenant landlord shopkeeper owner
    developer investor entrepreneur businessman businesswoman lawmaker legislator mp mep congressman
    congresswoman sheriff colonel major lieutenant admiral commander constable firefighter pastor
    reverend rev father bishop rabbi imam writer author novelist artist singer actor actress
    composer chef driver pilot player striker goalkeeper referee
""".split())

_POSSESSIVES = ("'s", "’s", "'", "’")
# Entity labels the small model gives names of people it does not know ("councillor Teresa Vidal"
# as a WORK_OF_ART): such a name may still be a person's.
_MISREAD_ENTITIES = frozenset({"", "ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "FAC", "LAW", "LANGUAGE"})


class PersonNames:
    """The people one document names, each under the fullest name seen with their surname.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parsed text; its PERSON entities seed the names.

    Attributes
    ----------
    names : dict of str to str
        Surname (case-folded) -> the fullest name with that surname, without titles. Names the
        document mentions outside PERSON entities are added as :meth:`person_name` meets them.
    """

    def __init__(self, doc: Doc):
        self.doc = doc
        self.names: dict[str, str] = {}
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            tokens = [t for t in ent if t.text not in _POSSESSIVES]
            if tokens:
                self._register(self._name_tokens(tokens[-1]))

    def person_name(self, head: Token) -> str | None:
        """The canonical name of the person ``head`` ends, or None if it names no person."""
        key = head.text.casefold()
        if head.ent_type_ == "PERSON" or (head.text[:1].isupper() and key in self.names
                                          and head.ent_type_ not in ("GPE", "NORP")):
            return self._register(self._name_tokens(head)) or head.text
        if head.pos_ == "PROPN" and head.ent_type_ in _MISREAD_ENTITIES:
            # A proper name of two or three capitalised words with no organisation word in it
            # ("Nadia Karimi", which the small model tags ORG) is most often a person; a single
            # unrecognised word is a person too unless the model calls it an organisation.
            words = _clean_name(self._name_tokens(head))
            looks_personal = all(w[:1].isupper() and not w.isupper() and w.casefold() not in ORG_WORDS for w in words)
            if words and looks_personal and (2 <= len(words) <= 3 or (len(words) == 1 and not head.ent_type_)):
                return self._register(self._name_tokens(head))
        return None

    def _name_tokens(self, head: Token) -> list[Token]:
        """The tokens of the name ``head`` ends: its PERSON entity, or the proper nouns before it.

        The small model often leaves a given name out of the entity ("Agnes" in "librarian Agnes
        Wu"), so a one-word entity takes in one capitalised proper noun before it (a title there
        is stripped later); a longer entity is taken as it is ("Fisherman Declan Moore").
        """
        doc = self.doc
        ent = next((e for e in doc.ents if e.start <= head.i < e.end and e.label_ == "PERSON"), None)
        if ent is not None:
            tokens = [t for t in ent if t.text not in _POSSESSIVES]
            start = tokens[0].i if tokens else head.i
            if len(tokens) == 1 and start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper():
                start -= 1
            return list(doc[start:head.i + 1])
        start = head.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper():
            start -= 1
        return list(doc[start:head.i + 1])

    def _register(self, tokens: Sequence[Token]) -> str:
        """Add the cleaned name of ``tokens`` if it is the fullest for its surname; the name kept."""
        words = _clean_name(tokens)
        if not words:
            return ""
        key = words[-1].casefold()
        if len(words) > len(self.names.get(key, "").split()):
            self.names[key] = " ".join(words)
        return self.names[key]


def _clean_name(tokens: Sequence[Token]) -> list[str]:
    """The words of a name without possessive marks, and without the titles and nationalities before it."""
    words = [t for t in tokens if t.text not in _POSSESSIVES and t.text[:1].isalpha()]
    # Everything up to the last title, nationality or lower-case word goes; the last word is
    # the name itself even when it is also a title word ("John Major").
    cut = 0
    for i, t in enumerate(words[:-1]):
        if t.lower_ in TITLE_WORDS or t.ent_type_ in ("NORP", "GPE") or not t.text[:1].isupper():
            cut = i + 1
    return [t.text for t in words[cut:]]
