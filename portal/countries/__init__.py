"""Countries (ISO 3166-1) with names in the reader's language."""
