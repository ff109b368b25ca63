"""Attribute argumentative units in news text to their holders: quoted speakers, reporting-verb subjects or the author.

News reports mix voices. A unit inside a direct quotation belongs to the quote's speaker; a unit
under a reporting frame (``Marsh said that X``, ``described the plan as X``, ``..., noting that X``)
belongs to the frame's subject; everything else, headlines included, is the author's own voice
(the attribution scheme of Pareti's PARC corpus: source, cue and content; Pareti 2016, LREC). The
rules read the spaCy dependency parse and are listed on :func:`attribute_holders`.

Holders are normalised so that the mentions of one party agree: a person is the fullest
PERSON-entity name seen in the document with the same surname, without titles ("Ukrainian
President Volodymyr Zelenskyy", "Zelenskyy" and a later "he" are all "Volodymyr Zelenskyy"), but a full name
whose given names differ is another person of that surname ("Milo Haskel" and his father "Adrian Haskel"); a
group is its head noun with the head's modifiers, determiners and clauses dropped
("Officials of the dockworkers' union" -> "dockworkers' union officials", "Shop owners on Mill
Road" -> "shop owners"; "Ecologists at the University of X" -> "University of X ecologists",
"Campaigners from the X Alliance" -> "X Alliance"), and a singular member of a group the text has
already named ("one official", "the official") is that group ("US officials"). A spokesperson, a
statement ("their joint statement") and a study by a named body ("a study by the X Institute")
speak for the body; a unit that names the study itself is the reporter citing it.

The modules follow the steps, each using those before it:

- ``records``: the records passed between the steps (:class:`Attribution`, ``Party``, ``Quote``);
- ``layout``: paragraphs, headlines and tokens by character offset;
- ``cues``: the subject a cue names (the cue lexicon is :mod:`mining.nlp.speech`);
- ``quotes``: where the quotations are and which of them are direct;
- ``names`` and ``groups``: the canonical name of a person and of a group;
- ``parties``: the party behind each cue, pronouns resolved in text order;
- ``speakers``: the speaker of each direct quote, carried over multi-sentence quotes;
- ``attribution``: the holder of each unit span, :func:`attribute_holders`.
"""

from mining.nlp.holders.attribution import attribute_holders
from mining.nlp.holders.records import SPEECH_KINDS, Attribution

__all__ = ["SPEECH_KINDS", "Attribution", "attribute_holders"]
