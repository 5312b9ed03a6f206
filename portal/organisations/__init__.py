"""Organisations (ministries, embassies, IOM offices...) and the people who work for them."""
