"""Estimators around scikit-learn classifiers: per-document decoding, segment rejection, dense input."""
