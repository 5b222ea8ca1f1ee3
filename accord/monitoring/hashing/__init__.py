"""Known-content matching: hash banks of PDQ image hashes, vPDQ videos and
text signatures.

Partners share what they have already judged to be terrorist content as
hashes (GIFCT's hash-sharing database, Tech Against Terrorism's hash list,
Meta's ThreatExchange); a bank holds such hashes with their provenance, and
the ``known_content`` detector flags entities whose media or text match one.

Convention for readers (the Telegram reader and any other): FtM entities
carry no media bytes, so a reader that has an attached photo hashes it and
records the PDQ hashes on the Message, in ``metadata`` (FtM type ``json``)::

    from accord.monitoring.hashing.media import hash_media_file, pdq_metadata

    found = hash_media_file(export_dir / message["photo"])   # None if absent
    value = pdq_metadata([found] if found else [])            # None if no hash
    if value:
        entity.add("metadata", value)          # '{"pdq": ["<64 hex>", ...]}'

Hashes of quality below 50 are left out, as PDQ's authors advise.
``contentHash`` is not used: in FtM it is the SHA-1 of the bytes, by which
Aleph fetches a file. Attached videos are hashed with vPDQ and recorded
under ``"vpdq"`` (see ``media``, ``video_hashing`` and ``video``).

Modules: ``pdq`` (hashing, hex), ``video`` and ``video_hashing`` (videos
in banks, hashing video files), ``mih`` and ``pigeonhole`` (the exact multi-index Hamming
index), ``text`` (signatures and LSH), ``bank``, ``state`` and ``storage``
(banks, quarantine and feedback, files), ``formats`` and ``video_formats``
(import and export), ``matcher`` (negative banks, quarantine, flood guard),
``service`` and ``results`` (what the CLI and API call), ``detector`` and
``media``.
"""
