"""mining: argument mining experiments with spaCy, scikit-learn and Hydra."""

from mining.schema import Document, Relation, Unit

__all__ = ["Document", "Relation", "Unit"]
__version__ = "0.1.0"
