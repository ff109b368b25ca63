"""Give each direct quote its speaker: the party of the cue beside it, else the most recent speaker before it."""

from __future__ import annotations

from mining.nlp.holders.layout import SENTENCE_END, TextLayout
from mining.nlp.holders.quotes import QuoteIndex
from mining.nlp.holders.records import Party


def assign_speakers(layout: TextLayout, quotes: QuoteIndex, parties: dict[int, Party | None]) -> None:
    """Set ``cue``, ``party`` and ``attribution`` on every direct quote of ``quotes``, in text order.

    A quote's cue is the first one right after it (``"X," she said.``) or, failing that, the last
    one right before it (``He said: "X"``). A quote with neither, such as the second sentence after
    ``"S1," he said.`` or a quote paragraph that continues the previous one, keeps the most recent
    speaker: of a cue in ``parties`` (cue token index -> party) or of an earlier quote.
    """
    doc, text = layout.doc, layout.text
    # (offset, party) of every speaker so far: the cues, then each quote as it is resolved.
    events = sorted((doc[i].idx, p) for i, p in parties.items()
                    if p is not None and p.kind not in ("nonagent", "unknown"))
    for q in quotes.quotes:
        if not q.direct:
            continue
        pstart, pend = q.paragraph
        cue = None
        content = text[q.content[0]:q.content[1]].rstrip()
        after = text[q.end:pend]
        # Attribution after the quote, unless the quote closed its own sentence and a new one
        # starts ("... forever." Those ...).
        if q.end < pend and (not content or content[-1] not in SENTENCE_END or after.lstrip()[:1].islower()):
            stop = next((i for i in range(q.end, pend) if text[i] in SENTENCE_END + '"“'), pend)
            window = (q.end, stop + 1 if stop < pend and text[stop] in SENTENCE_END else stop)
            cue = quotes.first_cue(window)
        if cue is None:
            before = text[pstart:q.start].rstrip()
            if before and before[-1] in ":,":
                window = layout.sentence_tail(pstart, q.start)
                cue = quotes.last_cue(window)
        if cue is not None and parties.get(cue.i) is not None:
            q.cue, q.party, q.attribution = cue, parties[cue.i], window
        else:
            # A quote without attribution goes on quoting the most recent speaker.
            earlier = [p for pos, p in events if pos < q.start]
            q.party = earlier[-1] if earlier else None
        if q.party is not None and q.party.kind not in ("nonagent", "unknown"):
            events.append((q.start, q.party))
            events.sort(key=lambda e: e[0])
