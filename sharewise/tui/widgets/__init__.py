"""Small widgets shared by the screens; each sends messages named as nouns."""
