"""The party a reporting or stance cue names: the subject of "said", the X of "according to X" (lexicon: nlp.speech)."""

from __future__ import annotations

from spacy.tokens import Token

from mining.nlp.speech import is_cue

_RELATIVE = frozenset({"who", "which", "that", "whom"})


def cue_subject(cue: Token, paragraph: tuple[int, int]) -> Token | None:
    """The token naming who speaks through ``cue``: its subject, an inherited one, or an agent.

    Arcs that leave ``paragraph`` are parse errors (the parser runs a headline into the next
    line), so a subject found across one is replaced by the first paragraph-local root before
    the cue: in "Fears for fish<newline>Ingrid Maas ... described X", "Maas".
    """
    pstart, pend = paragraph

    def inside(t: Token) -> bool:
        return pstart <= t.idx < pend

    if cue.lower_ == "according":
        for to in cue.children:
            if to.lower_ == "to":
                return next((c for c in to.children if c.dep_ == "pobj"), None)
        return None
    verb = cue
    for _ in range(8):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        broken = not inside(verb.head) or any(not inside(c) for c in verb.children)
        if any(not inside(c) for c in subjects) or (not subjects and broken):
            local_roots = [t for t in cue.doc[:cue.i] if inside(t) and not inside(t.head)
                           and t.pos_ in ("NOUN", "PROPN", "PRON")]
            return local_roots[0] if local_roots else None
        if subjects:
            subject = subjects[0]
            if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return verb.head
            return subject
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            if verb.lemma_.lower() == "quote":  # "X was quoted as saying": X speaks
                return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            for agent in verb.children:
                if agent.dep_ == "agent":
                    return next((c for c in agent.children if c.dep_ == "pobj"), None)
            return None  # "is expected to": a passive cue with no agent names no one
        if verb.dep_ in ("advcl", "conj", "xcomp", "pcomp", "prep") and verb.head.i != verb.i:
            # Participial adjuncts and conjuncts share the main clause's subject: "Merz reaffirmed
            # X, slamming Y", "acknowledged X but insisted Y". The parser often hangs "..., saying
            # that" on the reported clause ("insisted that the benefits outweighed the costs,
            # saying ..."): the outermost cue above that clause is the speaker, not the clause's
            # subject.
            above = [a for a in verb.ancestors if is_cue(a) and inside(a)]
            verb = above[-1] if above else verb.head
            continue
        return None
    return None
