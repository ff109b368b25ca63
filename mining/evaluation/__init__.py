"""Evaluation: splits and cross-validation by document, resampling inside training folds, metrics."""
