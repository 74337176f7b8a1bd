"""Search: what a reader's words become (`terms`, `text`, `query`), what each record's stored
document holds (`documents`), and how matches are shown (`highlight`)."""

from .terms import MAX_TERMS, search_terms

__all__ = ["MAX_TERMS", "search_terms"]
