"""Joint actions: several organisations, often across countries of origin, transit and destination, acting together."""
