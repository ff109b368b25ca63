"""Run records: writing them, comparing runs, and reproducing a run."""
