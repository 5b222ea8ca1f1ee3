"""Sharing under agreements: partners, fail-closed release, signed exchange.

- ``partners`` and ``category``: who we share with and what each agreement
  releases (the registry other sharing modules, PSI included, build on);
- ``policy``: the per-statement and per-finding decision, with its reasons;
- ``release``: what one partner may receive now, value by value;
- ``stix``/``stix_read``, ``misp``, ``ftm``: the formats, written and read;
  ``received``: markings of what a partner sent, normalised for us;
- ``signing``: the agency key and detached JWS over canonical JSON;
- ``service``: explain, export and import, audited; ``taxii`` and
  ``taxii_client``: TAXII 2.1 collections, pull and push;
- ``plugin``: STIX and MISP files as ordinary ingest formats.
"""
