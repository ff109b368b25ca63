"""Holder names: the canonical form of a party's name, when two names denote the same party, and which party acts
in the name of a place."""

from __future__ import annotations

import re

from mining.schema import AUTHOR, UNKNOWN


def normalise_holder(name: str) -> str:
    """Case-folded ``name`` with straight apostrophes, no leading "the"/"a"/"an", single spaces."""
    text = name.replace("’", "'").replace("‘", "'").casefold()
    words = re.sub(r"[^\w'\- ]+", " ", text).split()
    while len(words) > 1 and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _head_word(words: list[str]) -> str:
    # "association of independent grocers" is headed by "association", not "grocers".
    return words[words.index("of") - 1] if "of" in words[1:] else words[-1]


def holder_matches(gold: str, predicted: str) -> bool:
    """Whether ``predicted`` names the same holder as ``gold``.

    Both are normalised with :func:`normalise_holder` (case-folded, straight apostrophes, a leading
    "the"/"a"/"an" dropped, punctuation but apostrophes and hyphens dropped). They match when they are then
    equal, or when neither is the author (nor ``UNKNOWN``), their head words are equal (the last word, or
    the word before "of") and the words of one are a subset of the words of the other: "Zelenskyy" matches "Volodymyr
    Zelenskyy" and "island residents" matches "Holm island residents", but "union officials"
    does not match "automobile club officials", nor "official" match "officials". Words are compared
    without a possessive ending, and for a body named by its place (a ministry, the police, a council),
    a place's adjective in "-n" as the place: "Ibrenia's foreign ministry", "Ibrenian foreign ministry"
    and "Ibrenia foreign ministry" name one party, as the guideline's annotators write it either way.

    Examples
    --------
    >>> holder_matches("Helena Marsh", "helena marsh")
    True
    >>> holder_matches("supporters' trust", "Riverside Supporters’ Trust")
    True
    >>> holder_matches("Ibrenian foreign ministry", "Ibrenia's foreign ministry")
    True
    >>> holder_matches("Julian Marsh", "Julia Marsh")
    False
    >>> holder_matches("author", "Helena Marsh")
    False
    """
    g, p = normalise_holder(gold), normalise_holder(predicted)
    if g == p:
        return True
    if not g or not p or {g, p} & {AUTHOR, UNKNOWN}:
        return False
    gw, pw = [_unpossessed(w) for w in g.split()], [_unpossessed(w) for w in p.split()]
    if _head_word(gw) in _PLACED_BODIES and _head_word(gw) == _head_word(pw):
        gw, pw = [_place_of(w) for w in gw], [_place_of(w) for w in pw]
    return _head_word(gw) == _head_word(pw) and (set(gw) <= set(pw) or set(pw) <= set(gw))


# Bodies that news style names by their place either way: "Ibrenia's foreign ministry", "the Ibrenian foreign
# ministry". Only with one of these as the head is a place's "-n" adjective read as the place ("Julian Marsh" is not
# "Julia Marsh").
_PLACED_BODIES = frozenset("""
    ministry government police commission council office embassy agency authority board court army parliament
    regulator bank service
""".split())


def _unpossessed(word: str) -> str:
    """``word`` without a possessive ending: "Ibrenia's" -> "ibrenia", "tenants'" -> "tenants"."""
    return word.removesuffix("'s").removesuffix("'") or word


def _place_of(word: str) -> str:
    """A place's adjective in "-n" as the place: "ibrenian" -> "ibrenia" (and any word so ending, on both sides)."""
    return word[:-1] if word.endswith("an") else word


# Heads of a party that acts in the name of a whole place: what "the US" or "Valdoria" does, its officials do.
_SPEAKING_FOR_PLACES = frozenset("""
    officials government authorities administration negotiators diplomats delegation
""".split())


def speaks_for_place(holder: str, place: str) -> bool:
    """Whether the party ``holder`` acts in the name of the place ``place`` (a country, a city).

    News style has a country do what its officials do. The holder is the place's name (or its adjective in "-n")
    and one head of :data:`_SPEAKING_FOR_PLACES`, nothing more: "US officials" and "Valdoria's government" speak for
    "the US" and "Valdoria", "Valdorian officials" for "Valdoria"; "US farmers", "Valdoria's foreign ministry",
    "senior US officials" and "the government of Valdoria" do not, nor "Iranian officials" for "Iran" (the "-n"
    rule reads only places in "-a").

    Examples
    --------
    >>> speaks_for_place("US officials", "the US")
    True
    >>> speaks_for_place("Valdorian officials", "Valdoria")
    True
    >>> speaks_for_place("Valdoria's government", "Valdoria")
    True
    >>> speaks_for_place("US farmers", "the US")
    False
    """
    *named, head = normalise_holder(holder).split() or [""]
    place = normalise_holder(place)
    return (head in _SPEAKING_FOR_PLACES and bool(named) and bool(place)
            and _place_of(_unpossessed(" ".join(named))) == _place_of(place))
