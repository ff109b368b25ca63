"""Which person a "he" or a "she" can be: the grammatical gender a text gives a named person.

A report often names two people and then goes on with a pronoun that only the reader's knowledge of given names
resolves: "Mayor Agnes Pruitt met Transport Secretary Olav Ring. He told reporters X" is Ring's. The evidence read
here, strongest first: a gendered title or role beside a mention ("Mr Ring", "Ring, a spokesman"), then a common
given name. The name lists (``given_names.txt`` beside this module) are general knowledge of given names across the
languages a European news world uses; an unlisted name, or one used for both, has no gender, and a pronoun then
resolves as if gender did not exist.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

from spacy.tokens import Token

# Titles and role nouns that say a person's gender, set before a name or beside it.
_GENDERED_WORDS = {
    **dict.fromkeys("""
        mr mr. sir lord king prince duke baron emperor father brother son husband grandfather uncle nephew
        spokesman chairman councilman congressman businessman policeman fireman fisherman sportsman statesman
        headmaster actor waiter widower boyfriend monsieur herr senor señor signor
    """.split(), "he"),
    **dict.fromkeys("""
        mrs mrs. ms ms. miss madam madame dame lady queen princess duchess countess baroness empress mother sister
        daughter wife grandmother aunt niece spokeswoman chairwoman councilwoman congresswoman businesswoman
        policewoman firewoman fisherwoman sportswoman stateswoman headmistress actress waitress widow girlfriend
        frau senora señora signora mademoiselle
    """.split(), "she"),
}

_NAMES_FILE = "given_names.txt"  # "he: NAME ..." and "she: NAME ...", lines that open with spaces going on


@cache
def given_names() -> dict[str, str]:
    """Common given name (lowercase ASCII) -> "he" or "she", from this package's ``given_names.txt`` (its header says
    where the lists come from), read once, when a gender is first asked for."""
    names, gender = {}, None
    for line in resources.files(__package__).joinpath(_NAMES_FILE).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            gender, line = line.split(":", 1)
        names.update(dict.fromkeys(line.split(), gender))
    return names


def _plain(word: str) -> str:
    """``word`` case-folded without accents: "Tomás" and "Tomas" are one name."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def gender_of_name(name: str) -> str | None:
    """"he" or "she" for a full name whose first word is a listed given name, else None.

    >>> gender_of_name("Ingrid Solberg"), gender_of_name("Tomas Halvik"), gender_of_name("Halvik")
    ('she', 'he', None)
    """
    words = name.split()
    return given_names().get(_plain(words[0])) if len(words) > 1 else None


def gender_beside(name_start: Token, name_end: Token) -> str | None:
    """The gender a word beside one mention of a name gives it: a title just before it or in it ("Mrs Lund",
    "spokeswoman Ada Lund") or a role the name is apposed to or that is apposed to it ("the spokeswoman, Ada Lund",
    "Ada Lund, a spokeswoman"). A verb is no title ("Fans will miss Ada Lund")."""
    doc = name_start.doc
    before = doc[max(name_start.i - 1, 0):name_end.i]  # the title may be in the name's entity
    roles = [name_end.head] if name_end.dep_ == "appos" else []
    roles += [c for c in name_end.children if c.dep_ == "appos"]
    for word in [*before, *roles]:
        if word.lower_ in _GENDERED_WORDS and word.pos_ in ("NOUN", "PROPN"):
            return _GENDERED_WORDS[word.lower_]
    return None
