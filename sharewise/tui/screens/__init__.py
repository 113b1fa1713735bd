"""One Screen per module: home, walk, outcome, record form, confirmation, emergency, records."""
