"""Labelling new text with a trained run: the miner, input streams, holders, rendering, the spaCy component."""
