"""What the models see: unit, pair and token instances built from Documents and their spaCy parses, and the BIO
tags of token instances (bio.py)."""
