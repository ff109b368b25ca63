"""The records that the steps of holder attribution pass on: a unit's Attribution, a Party and a Quote."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

SPEECH_KINDS = ("quote", "reported", "author")


@dataclass(frozen=True)
class Attribution:
    """Who voices a unit and how.

    Attributes
    ----------
    holder : str
        The normalised party name, ``mining.schema.AUTHOR`` for the author's own voice, or
        ``UNKNOWN`` for a direct quote with no speaker anywhere before it or a pronoun speaker
        with nothing to resolve to.
    speech : str
        ``"quote"`` (inside quotation marks), ``"reported"`` (under a reporting or stance verb) or
        ``"author"``, the vocabulary of ``Unit.attributes["speech"]`` in the sample corpus.
    cue : tuple of (int, int) or None
        Character span of the reporting verb that decided the holder, if any.
    """

    holder: str
    speech: str
    cue: tuple[int, int] | None = None


@dataclass
class Party:
    """A party that speaks through a cue, with its normalised name."""

    name: str
    # "person" (a named person), "individual" ("the minister", "a witness"), "group", "share" ("about a third
    # said X": its holder, but no party a later pronoun or "others" refers back to), "unknown" (a pronoun with
    # no antecedent), "nonagent" (evidence such as "a study": author voice) or "cited" (the named source of
    # evidence, "a study by the institute": its finding is the institute's).
    kind: str
    # the head word's lemma ("union"), which a later mention may repeat; for a person met through a relative ("Ada
    # Lind's son"), the relative's noun, so that a later pronoun of the relative's gender is not taken for the person
    lemma: str = ""


@dataclass
class Quote:
    """A quotation in the text, and once resolved, its speaker and the cue that named them."""

    start: int  # the opening mark
    end: int  # after the closing mark, or the paragraph end for an unclosed quote
    content: tuple[int, int]
    direct: bool
    paragraph: tuple[int, int]
    cue: Token | None = None
    party: Party | None = None
    attribution: tuple[int, int] | None = None  # the text that holds the cue, beside the quote
