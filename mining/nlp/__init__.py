"""spaCy: loading the pipeline, the DocBin parse cache, and the spaCy component."""
