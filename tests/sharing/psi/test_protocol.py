"""The protocol wrapper: exact answers, with and without shards and threads."""

from __future__ import annotations

import pytest

from accord.errors import InvalidData
from accord.sharing.psi.protocol import (
    PsiClient,
    ServerOptions,
    SetupStructure,
    answer,
    chunks,
    plan_shards,
    request_size,
)

CLIENT = [f"k{i}" for i in range(600)]
SERVER = [f"k{i}" for i in range(400, 3000)]
COMMON = {f"k{i}" for i in range(400, 600)}


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("structure", list(SetupStructure))
def test_intersection_is_exact(workers: int, structure: SetupStructure) -> None:
    client = PsiClient(CLIENT, reveal=True, workers=workers)
    options = ServerOptions(reveal=True, structure=structure, workers=workers)
    reply, _ = answer(SERVER, client.request(), options)
    found = {CLIENT[i] for i in client.intersection(reply)}
    assert found == COMMON


def test_big_server_sets_are_sharded_and_still_exact() -> None:
    client = PsiClient(CLIENT[:100], reveal=True, workers=2)
    reply, _ = answer(SERVER, client.request(), ServerOptions(True, workers=2))
    assert len(reply.setups) == 2
    assert {CLIENT[i] for i in client.intersection(reply)} == set(CLIENT[:100]) & COMMON


@pytest.mark.parametrize("workers", [1, 2])
def test_cardinality_mode_counts_and_hides_elements(workers: int) -> None:
    client = PsiClient(CLIENT, reveal=False, workers=workers)
    reply, _ = answer(SERVER, client.request(), ServerOptions(False, workers=workers))
    assert client.cardinality(reply) == len(COMMON)
    with pytest.raises(InvalidData, match="only the intersection size"):
        client.intersection(reply)


def test_a_request_in_the_wrong_mode_is_refused() -> None:
    client = PsiClient(CLIENT, reveal=True, workers=1)
    with pytest.raises(InvalidData, match="does not match the session"):
        answer(SERVER, client.request(), ServerOptions(reveal=False))


def test_the_server_learns_only_the_request_size() -> None:
    # keys long enough that random ciphertext cannot contain one by chance
    keys = [f"plaintext-subject-key-{i:06d}" for i in range(600)]
    request = PsiClient(keys, reveal=True, workers=2).request()
    assert request_size(request) == len(keys)
    assert not any(key.encode() in request for key in keys)
    assert b"plaintext-subject-key" not in request


def test_malformed_requests_are_refused() -> None:
    with pytest.raises(InvalidData, match="malformed PSI request"):
        request_size(b"\xff\xff\xff")
    with pytest.raises(InvalidData, match="at least one element"):
        request_size(b"")


def test_shards_only_when_the_server_set_dwarfs_the_query() -> None:
    assert plan_shards(50_000, 50_000, 2) == 1
    assert plan_shards(1_000_000, 10_000, 2) == 2
    assert plan_shards(1_000_000, 10_000, 1) == 1


def test_chunks_cover_everything_in_order() -> None:
    items = list(range(10))
    pieces = chunks(items, 3)
    assert [len(p) for p in pieces] == [4, 3, 3]
    assert [x for piece in pieces for x in piece] == items
    assert chunks(items[:2], 5) == [[0], [1]]


def test_a_kept_setup_answers_later_queries_exactly() -> None:
    options = ServerOptions(reveal=True, workers=2, setup_capacity=1000)
    first = PsiClient(CLIENT, reveal=True, workers=2)
    reply, kept = answer(SERVER, first.request(), options)
    assert kept.capacity == 1000
    later = PsiClient(CLIENT[::-1], reveal=True, workers=2)
    again, reused = answer(SERVER, later.request(), options, kept)
    assert reused is not kept
    assert reused.key == kept.key
    assert again.setups == reply.setups
    assert {CLIENT[::-1][i] for i in later.intersection(again)} == COMMON


def test_a_kept_setup_is_not_used_beyond_its_capacity_or_mode() -> None:
    small = PsiClient(CLIENT[:10], reveal=True, workers=1)
    _, kept = answer(SERVER, small.request(), ServerOptions(reveal=True))
    big = PsiClient(CLIENT, reveal=True, workers=1)
    reply, fresh = answer(SERVER, big.request(), ServerOptions(reveal=True), kept)
    assert fresh.key != kept.key
    assert {CLIENT[i] for i in big.intersection(reply)} == COMMON
    counting = PsiClient(CLIENT[:10], reveal=False, workers=1)
    _, other = answer(SERVER, counting.request(), ServerOptions(reveal=False), kept)
    assert other.key != kept.key


def test_a_small_set_for_a_large_capacity_still_answers() -> None:
    """The library's GCS encoder fails here; the raw list stands in."""
    client = PsiClient(CLIENT, reveal=True, workers=1)
    options = ServerOptions(reveal=True, setup_capacity=1_000_000)
    reply, _ = answer(SERVER[:300], client.request(), options)
    assert {CLIENT[i] for i in client.intersection(reply)} == COMMON & set(SERVER[:300])
