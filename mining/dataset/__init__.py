"""The labelled dataset as a whole: validation, statistics, merging new annotations and export."""
