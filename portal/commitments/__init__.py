"""Commitments: what one organisation undertakes, and the append-only record of its progress."""
