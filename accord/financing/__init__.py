"""Terrorist-financing detection over transactions, in batch and streaming.

Readers turn AMLSim, IBM AMLworld and generic CSV files into a ledger (and
into FtM Payment and BankAccount entities for the store); ``features``
defines the per-account causal window features once, and ``batch``,
``stream`` and ``spark`` compute them; ``scorer`` trains and applies a
LightGBM model over them; ``typologies`` holds the rules an analyst reads.
"""
