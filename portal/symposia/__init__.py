"""Symposia: dated meetings of partners, and everything that came out of them."""
