"""Public home page and summaries."""
