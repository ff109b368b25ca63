"""Labelling new text with a trained run: the miner and its steps, batches, workers, input streams, holders,
rendering."""
