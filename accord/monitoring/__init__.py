"""Monitoring: messaging-channel exports in, propaganda and its uses flagged."""
