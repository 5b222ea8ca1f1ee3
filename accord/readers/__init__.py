"""Input formats, each a ``Reader`` registered under a stable name."""
