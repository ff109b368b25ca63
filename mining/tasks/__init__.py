"""Tasks: documents -> instances and gold labels, and predictions -> documents, one module per task."""
