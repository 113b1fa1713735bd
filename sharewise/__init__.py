"""sharewise: decide lawfully whether to share safeguarding information, and record why."""

__version__ = "0.1.0"
