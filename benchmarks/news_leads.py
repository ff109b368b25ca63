"""Which side a news report leads with, and the stance measure of the two kinds of report apart.

The news corpus was written proponent first (docs/news-corpus-history.md, "The split"); wire copy often leads with
the opponent. A stance step that learnt the order as well as the words scores well on the first kind and near a coin
on the second, so settings are chosen on the mean of the two groups' stance macro-F1 (`end_to_end_cv.py --by-lead`,
per fold) and the test split is reported by group (`news_baselines.py --by-lead`). A report is led "for" when its first
claim with a stance, other than the reporter's, is for the measure its topic names, and "against" when against it:
the topic is read with the stance step's `against_words` and `approval_words`, by the predicate reading `news_miner`
uses (a topic that condemns its measure turns the claim's side).
"""
from __future__ import annotations

from mining.evaluation.documents import compare_documents
from mining.models.topic_polarity import speaks_against
from mining.schema import AUTHOR, Document

LEADS = ("for", "against")
STANCE = "found.stance.macro_f1"


def topic_words(cfg) -> tuple[list[str], list[str]]:
    """The verdict and approval words of an experiment's stance step, as the lead is read with them."""
    stance = cfg.subtasks.stance.model
    missing = [key for key in ("against_words", "approval_words") if key not in stance]
    if missing:
        raise SystemExit(f"--by-lead: the stance step of {cfg.name} has no {' or '.join(missing)} to read topics with")
    return list(stance.against_words), list(stance.approval_words)


def lead_of(doc: Document, against_words, approval_words) -> str | None:
    """"for" or "against": the side toward its topic's measure of the report's first claim with a stance that is not
    the reporter's; None without one."""
    claims = sorted((u for u in doc.units if u.stance in LEADS and u.holder != AUTHOR), key=lambda u: u.start)
    if not claims:
        return None
    turned = speaks_against(doc.topic, against_words, approval_words)
    return {"for": "against", "against": "for"}[claims[0].stance] if turned else claims[0].stance


def by_lead(gold: dict[str, Document], labelled: list[Document], words) -> dict[str, list[Document]]:
    """``labelled`` grouped by the lead of each one's gold document (``words``: ``topic_words``); reports with no
    lead are left out."""
    groups: dict[str, list[Document]] = {lead: [] for lead in LEADS}
    for doc in labelled:
        lead = lead_of(gold[doc.id], *words)
        if lead:
            groups[lead].append(doc)
    return groups


def scores_by_lead(gold: dict[str, Document], labelled: list[Document], words) -> dict[str, tuple[int, dict]]:
    """Per lead that some report of ``labelled`` has: how many reports, and their measures pooled
    (``compare_documents``)."""
    return {lead: (len(docs), compare_documents([gold[d.id] for d in docs], docs))
            for lead, docs in by_lead(gold, labelled, words).items() if docs}


def lead_balanced_stance(gold: dict[str, Document], labelled: list[Document], words) -> float:
    """The mean of the stance macro-F1 of the reports led for their measure and of those led against it; refused
    when either group is empty, as the mean would be one group's."""
    scores = scores_by_lead(gold, labelled, words)
    empty = [lead for lead in LEADS if lead not in scores]
    if empty:
        raise ValueError(f"no report of {len(labelled)} is led {' or '.join(empty)}: no lead-balanced stance")
    return sum(measures[STANCE] for _, measures in scores.values()) / len(scores)
