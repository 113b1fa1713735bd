"""The practitioner's terminal UI (Textual): screens over the domain's walk, outcome and ledger."""
