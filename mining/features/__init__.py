"""Feature extractors: scikit-learn transformers from unit and pair instances to sparse matrices, one kind of
evidence per module."""
