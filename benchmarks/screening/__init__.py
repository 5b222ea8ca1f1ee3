"""Screening quality and speed: accord's matcher against nomenklatura logic-v2.

Both matchers run in the same invocation, on the same queries, against the
same held-out copy of a watchlist (``../shared/notes/screening.md`` sections
3-4 give the anchor numbers and targets). Run:

    .venv/bin/python -m benchmarks.screening --list un --out results.json

Modules, in the order data flows:

* ``lists``: read the UN or OFAC SDN list, keep screenable parties;
* ``text``: folding, script detection, the spelling-variant rule;
* ``positives`` / ``negatives`` / ``evidence``: the query builders;
* ``evalset``: every slice, subsampled with a fixed seed, and leave-one-out;
* ``blocking``: the yente-style candidate stage for logic-v2;
* ``adapters``: logic-v2 and accord behind ``build`` / ``search``;
* ``metrics`` / ``runner``: timing, recall, alert and false-alert rates.
"""
