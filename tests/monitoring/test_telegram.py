"""Telegram Desktop exports: both root shapes, every record kind, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from followthemoney import EntityProxy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ReaderError
from accord.monitoring.telegram import TelegramExportReader

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "monitoring"
SAMPLES = Path(__file__).resolve().parents[2] / "accord" / "samples" / "monitoring"


def read(path: Path) -> list[EntityProxy]:
    return list(TelegramExportReader(path).read())


def by_id(entities: list[EntityProxy]) -> dict[str, EntityProxy]:
    return {str(entity.id): entity for entity in entities}


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_full_account_export_reads_every_chat_including_left_ones() -> None:
    entities = by_id(read(FIXTURES / "full_export.json"))
    messages = [e for e in entities.values() if e.schema.name == "Message"]
    assert len(messages) == 6  # the unsupported record is skipped
    assert {e.first("publisher") for e in messages} == {
        "News Relay",
        "Small Group",
        "Old Channel",
    }
    assert (
        entities["telegram-channel2001"].first("notes") == "chat type: public_channel"
    )
    assert "telegram-channel4001-msg-1" in entities


def test_message_fields_become_message_properties() -> None:
    entities = by_id(read(FIXTURES / "full_export.json"))
    reply = entities["telegram-channel3001-msg-8"]
    assert reply.first("senderAccount") == "telegram-user77"
    assert reply.first("recipientAccount") == "telegram-channel3001"
    assert reply.first("inReplyToMessage") == "telegram-channel3001-msg-7"
    assert reply.first("date") == "2024-03-02T09:05:00"
    meta = json.loads(str(reply.first("metadata")))
    assert meta["links"] == ["https://example.org/a", "https://example.org/b"]
    assert meta["mentions"] == ["@someone"]
    assert meta["via_bot"] == "@examplebot"
    service = entities["telegram-channel3001-msg-7"]
    assert service.first("summary") == "service: join_group_by_link"


def test_forwards_become_links_from_the_source_account() -> None:
    entities = read(FIXTURES / "full_export.json")
    links = [e for e in entities if e.schema.name == "UnknownLink"]
    forward = next(e for e in links if e.first("role") == "forwarded from")
    source = by_id(entities)[str(forward.first("subject"))]
    assert source.first("name") == "Origin Channel"
    assert forward.first("object") == "telegram-channel2001-msg-2"


def test_wallets_in_text_become_crypto_wallets_linked_to_the_post() -> None:
    entities = read(FIXTURES / "full_export.json")
    wallets = {
        e.first("publicKey"): e for e in entities if e.schema.name == "CryptoWallet"
    }
    assert set(wallets) == {
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        "TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW",
    }
    assert (
        wallets["TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW"].first("currencySymbol") == "TRX"
    )
    payment_links = [
        e
        for e in entities
        if e.schema.name == "UnknownLink" and e.first("role") == "payment details"
    ]
    assert {e.first("subject") for e in payment_links} == {"telegram-channel2001-msg-1"}


def test_hand_written_upstream_fixture_reads() -> None:
    entities = by_id(read(FIXTURES / "vorot93_result.json"))
    first = entities["telegram-chat123456-msg-101"]
    assert json.loads(str(first.first("metadata")))["links"] == ["https://example.com"]
    assert first.first("inReplyTo") == "100"


def test_single_chat_demo_channel_reads() -> None:
    entities = read(SAMPLES / "demo_channel.json")
    messages = [e for e in entities if e.schema.name == "Message"]
    assert len(messages) == 13
    assert {e.first("recipientAccount") for e in messages} == {
        "telegram-channel1000001"
    }
    ibans = [e.first("iban") for e in entities if e.schema.name == "BankAccount"]
    assert "GB82WEST12345698765432" in ibans


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ([1, 2], "must be a JSON object"),
        ({"about": "nothing here"}, "no chats or messages"),
        ({"messages": [{"id": 1, "type": "message"}]}, "id must come before"),
        (
            {"name": "c", "type": "public_channel", "id": 1, "messages": [{"id": "x"}]},
            "message id must be an integer",
        ),
        (
            {
                "name": "c",
                "type": "public_channel",
                "id": 1,
                "messages": [{"id": 1, "text": 5}],
            },
            "text must be a string or an array",
        ),
        (
            {
                "name": "c",
                "type": "public_channel",
                "id": 1,
                "messages": [{"id": 1, "date_unixtime": "soon", "text": "x"}],
            },
            "not a Unix time",
        ),
    ],
)
def test_malformed_exports_are_refused_with_position(
    tmp_path: Path, document: Any, reason: str
) -> None:
    with pytest.raises(ReaderError) as caught:
        read(write(tmp_path, document))
    assert reason in caught.value.reason
    assert caught.value.path.endswith("result.json")


def test_truncated_json_names_the_last_record_read(tmp_path: Path) -> None:
    text = (FIXTURES / "full_export.json").read_text(encoding="utf-8")
    path = tmp_path / "result.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(ReaderError) as caught:
        read(path)
    assert caught.value.position.startswith("after message record")
    assert "invalid JSON" in caught.value.reason


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
message_fields = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "type": st.sampled_from(["message", "service", "unsupported"]) | json_values,
        "text": json_values,
        "text_entities": json_values,
        "date_unixtime": json_values,
        "from_id": json_values,
        "forwarded_from": json_values,
        "reply_to_message_id": json_values,
    },
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messages=st.lists(message_fields, max_size=4))
def test_fuzzed_messages_either_read_or_raise_reader_error(
    tmp_path: Path, messages: list[dict[str, Any]]
) -> None:
    document = {"name": "c", "type": "public_channel", "id": 9, "messages": messages}
    try:
        entities = read(write(tmp_path, document))
    except ReaderError as exc:
        assert exc.position
        return
    assert all(entity.id for entity in entities)
