"""The IG lead's figures and the reports, charts and exports built from them (no UI here)."""
