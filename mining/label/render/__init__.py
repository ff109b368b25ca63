"""Show labelled Documents to people: a self-contained HTML page (displaCy span style) and a terminal table."""

from mining.label.render.lines import LABEL_COLORS, OTHER_COLOR
from mining.label.render.page import RELATION_COLORS, to_html
from mining.label.render.table import to_table, to_tsv

__all__ = ["LABEL_COLORS", "OTHER_COLOR", "RELATION_COLORS", "to_html", "to_table", "to_tsv"]
