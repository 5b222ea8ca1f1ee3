"""FtM entities for channels, posts and the payment details inside them.

Both readers (Telegram exports and plain post files) build their entities
here, so a post means the same FtM shape whatever platform it came from:

* the channel or group and each author are ``UserAccount`` entities;
* a post is a ``Message``: ``bodyText``, ``date``, ``senderAccount`` (the
  author), ``recipientAccount`` (the channel it was posted in),
  ``publisher`` (the channel's name), ``inReplyToMessage``, and
  ``metadata`` (JSON: out-links, hashtags, mentions, media, bot);
* a forward is an ``UnknownLink`` with role ``forwarded from``, from the
  source account to the message: FtM has no forward property, and a link
  entity keeps the channel-to-channel graph queryable;
* crypto wallets and bank accounts (IBANs, payment cards) found in a post
  are ``CryptoWallet`` and ``BankAccount`` entities, each tied to the post by
  an ``UnknownLink`` with role ``payment details``, so screening and
  financing see them like any other account; phone numbers go to the
  message's ``phoneMentioned``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from followthemoney import EntityProxy, model

from accord.monitoring.payments import (
    PaymentIdentifier,
    PaymentKind,
    find_payment_identifiers,
)

FORWARDED_FROM = "forwarded from"
PAYMENT_DETAILS = "payment details"
BLOCKCHAINS = {
    "BTC": "Bitcoin",
    "ETH": "Ethereum",
    "TRX": "Tron",
    "LTC": "Litecoin",
    "DOGE": "Dogecoin",
    "XMR": "Monero",
}


def short_hash(*parts: str) -> str:
    """A stable id fragment for values that are not safe or short as ids."""
    joined = "\x1f".join(parts).encode("utf-8")
    return hashlib.sha1(joined).hexdigest()[:16]  # noqa: S324 - an id, not a secret


@dataclass
class Post:
    """A post as both readers see it, before it becomes FtM entities."""

    entity_id: str
    message_id: str
    text: str
    channel_id: str
    channel_name: str
    author_id: str | None = None
    date: str | None = None
    reply_to_entity: str | None = None
    reply_to_id: str | None = None
    summary: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def account(
    entity_id: str, name: str | None, service: str, **extra: str
) -> EntityProxy:
    proxy = model.make_entity("UserAccount")
    proxy.id = entity_id
    proxy.add("name", name)
    proxy.add("service", service)
    for prop, value in extra.items():
        proxy.add(prop, value)
    return proxy


def message(post: Post) -> EntityProxy:
    proxy = model.make_entity("Message")
    proxy.id = post.entity_id
    proxy.add("bodyText", post.text or None)
    proxy.add("messageId", post.message_id)
    proxy.add("date", post.date)
    proxy.add("senderAccount", post.author_id)
    proxy.add("recipientAccount", post.channel_id)
    proxy.add("publisher", post.channel_name)
    proxy.add("inReplyToMessage", post.reply_to_entity)
    proxy.add("inReplyTo", post.reply_to_id)
    proxy.add("summary", post.summary)
    if post.metadata:
        proxy.add(
            "metadata", json.dumps(post.metadata, ensure_ascii=False, sort_keys=True)
        )
    return proxy


def forward_link(message_id: str, source_id: str, date: str | None) -> EntityProxy:
    link = model.make_entity("UnknownLink")
    link.id = f"{message_id}-fwd"
    link.add("subject", source_id)
    link.add("object", message_id)
    link.add("role", FORWARDED_FROM)
    link.add("date", date)
    return link


def payment_entity(found: PaymentIdentifier) -> EntityProxy | None:
    """The account an identifier names; phones have none (they are a
    property of the message)."""
    if found.kind is PaymentKind.CRYPTO_WALLET:
        wallet = model.make_entity("CryptoWallet")
        wallet.id = f"crypto-{found.network.lower()}-{found.value}"
        wallet.add("publicKey", found.value)
        wallet.add("currencySymbol", found.network)
        wallet.add("blockchain", BLOCKCHAINS.get(found.network))
        return wallet
    if found.kind is PaymentKind.IBAN:
        bank = model.make_entity("BankAccount")
        bank.id = f"iban-{found.value}"
        bank.add("iban", found.value)
        bank.add("country", found.network.lower())
        return bank
    if found.kind is PaymentKind.PAYMENT_CARD:
        card = model.make_entity("BankAccount")
        card.id = f"card-{short_hash(found.value)}"
        card.add("accountNumber", found.value)
        card.add("accountType", "payment card")
        return card
    return None


def payment_entity_id(found: PaymentIdentifier) -> str | None:
    entity = payment_entity(found)
    return entity.id if entity is not None else None


def with_payments(post: Post) -> Iterator[EntityProxy]:
    """The message and the accounts its text names, linked to it."""
    proxy = message(post)
    linked: list[EntityProxy] = []
    for found in find_payment_identifiers(post.text):
        if found.kind is PaymentKind.PHONE:
            proxy.add("phoneMentioned", found.value)
            continue
        if found.kind is PaymentKind.IBAN:
            proxy.add("ibanMentioned", found.value)
        entity = payment_entity(found)
        if entity is not None and entity.id is not None:
            linked.append(entity)
            linked.append(_payment_link(post.entity_id, entity.id))
    yield proxy
    yield from linked


def _payment_link(message_id: str, target_id: str) -> EntityProxy:
    link = model.make_entity("UnknownLink")
    link.id = f"{message_id}-pay-{short_hash(target_id)}"
    link.add("subject", message_id)
    link.add("object", target_id)
    link.add("role", PAYMENT_DETAILS)
    return link
