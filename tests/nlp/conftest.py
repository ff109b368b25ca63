"""The feature tests' parsed documents: tests/nlp/test_tokens.py reads the same unit instances."""

from tests.features.conftest import documents, unit_instances  # noqa: F401  (fixtures)
