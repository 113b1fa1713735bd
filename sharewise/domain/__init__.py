"""The domain: trees, facts, citations, walks, decisions and records. Never imports a UI."""
