"""Screening: people and organisations against terrorist and sanctions lists."""
