"""Units found in a text's first paragraph, with and without a headline line above it.

Usage: python benchmarks/first_paragraph.py [--model RUN_DIR] [--headline "Town debates plan"]

Every news report the news model trains on opens with a headline, which holds no unit; a text a user brings may
open with its first paragraph instead. Six one-paragraph texts written for this check (two parties each, a
position each) are labelled as given and with a one-line headline above them; the units found each way are
printed per text and in all. With no ``--model``, the default model.
"""
from __future__ import annotations

import argparse

TEXTS = [
    ("The union said the new rota would exhaust nurses. Hospital managers argued that the change would cut "
     "waiting times.", "The hospital should adopt the new rota"),
    ("Councillor Lena Brook said the library must stay open on Sundays because students need a quiet place to "
     "work.", "The library should open on Sundays"),
    ("Farmers warned that the water levy would ruin small dairies. The environment minister insisted that rivers "
     "need the money.", "The government should introduce a water levy"),
    ("Parents want the school day to start later, saying teenagers sleep too little. The head teacher rejected the "
     "idea, arguing that buses cannot be rescheduled.", "Schools should start later"),
    ("Residents oppose the wind farm, claiming it will spoil the view. The energy company says the turbines will "
     "power ten thousand homes.", "The wind farm should be built"),
    ("Shop owners said the pedestrian zone had cost them customers. The mayor replied that footfall had in fact "
     "risen by a fifth.", "The pedestrian zone should stay"),
]


HEADLINE = "Town debates plan"


def units_found(miner, headline: str = HEADLINE, show: bool = False) -> dict[str, int]:
    """How many units ``miner`` finds in ``TEXTS`` as given and with ``headline`` above each."""
    totals = {"as given": 0, "headline above": 0}
    for text, topic in TEXTS:
        for way, given in (("as given", text), ("headline above", f"{headline}\n{text}")):
            units = miner(given, topic=topic).units
            totals[way] += len(units)
            if show:
                print(f"{way:14s} {len(units)}  " + " | ".join(f"{u.label}: {u.text}" for u in units))
    return totals


def main() -> None:
    from mining.label.bundle import default_model
    from mining.label.miner import ArgumentMiner

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a run directory (default: the default model)")
    parser.add_argument("--headline", default=HEADLINE, help="the line put above each text")
    args = parser.parse_args()
    totals = units_found(ArgumentMiner.from_run(args.model or default_model()), args.headline, show=True)
    print("units found: " + ", ".join(f"{way} {n}" for way, n in totals.items()))


if __name__ == "__main__":
    main()
