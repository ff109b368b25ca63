"""Count documents, units, stances, holders and relations of a corpus, overall and per split."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from mining.schema import Document


def corpus_stats(docs: Iterable[Document]) -> dict[str, Any]:
    """The counts as a JSON-ready dict (shape documented in the README under ``mining data stats``)."""
    docs = list(docs)
    units = Counter(u.label for d in docs for u in d.units)
    stance = Counter(u.stance for d in docs for u in d.units if u.stance is not None)
    holders = Counter(u.holder for d in docs for u in d.units if u.holder is not None)
    relations = Counter(r.label for d in docs for r in d.relations)
    splits: dict[str, dict[str, Any]] = {}
    for doc in docs:
        if doc.split is None:
            continue
        entry = splits.setdefault(doc.split, {"documents": 0, "units": 0, "labels": Counter()})
        entry["documents"] += 1
        entry["units"] += len(doc.units)
        entry["labels"].update(u.label for u in doc.units)
    return {
        "documents": len(docs),
        "units": dict(sorted(units.items())),
        # any other stance (data stats does not validate) is counted under its name, not left out of the counts
        "stance": {"for": stance.pop("for", 0), "against": stance.pop("against", 0), **dict(sorted(stance.items()))},
        "holders": dict(holders.most_common()),
        "relations": dict(sorted(relations.items())),
        "splits": {
            name: {"documents": s["documents"], "units": s["units"], "labels": dict(sorted(s["labels"].items()))}
            for name, s in sorted(splits.items())
        },
    }


def format_stats(stats: dict[str, Any], *, max_holders: int = 10) -> str:
    """A short human-readable rendering of :func:`corpus_stats`."""
    lines = [f"documents  {stats['documents']}"]
    total = sum(stats["units"].values())
    lines.append(f"units      {total}  " + "  ".join(f"{k}={v}" for k, v in stats["units"].items()))
    lines.append("stance     " + "  ".join(f"{k}={v}" for k, v in stats["stance"].items()))
    holders = list(stats["holders"].items())
    more = f"  (+{len(holders) - max_holders} more)" if len(holders) > max_holders else ""
    lines.append("holders    " + "  ".join(f"{k}={v}" for k, v in holders[:max_holders]) + more)
    lines.append("relations  " + "  ".join(f"{k}={v}" for k, v in stats["relations"].items()))
    for name, s in stats["splits"].items():
        lines.append(f"split {name:<5} documents={s['documents']}  units={s['units']}  "
                     + "  ".join(f"{k}={v}" for k, v in s["labels"].items()))
    return "\n".join(lines)
