"""ECDH private set intersection, as OpenMined's ``openmined-psi`` implements it.

The client blinds each element with its secret key (``H(x)^c``) and sends
them; the server blinds its own elements with its key into a setup message
(``H(y)^s``, packed in a Golomb-compressed set) and re-blinds the client's
(``H(x)^cs``); the client removes its key and looks each ``H(x)^s`` up in the
setup. The server learns only how many elements the client sent; the client
learns which of its elements are in the server's set, or, when the server
answers in cardinality mode (it shuffles its response), only how many.
Nothing here touches elliptic curves: all of that is the library's.

Two things are ours, both for speed on multi-core machines:

* the library's objects are not thread-safe, but they release the GIL and
  can be rebuilt from their key, so each thread gets its own instance with
  the same key and handles a contiguous chunk of the request or response;
* a big server set is split into shards with a setup message each (built in
  parallel); the client checks its elements against every shard. A shard's
  false-positive rate is the session's rate divided by the shard count, so
  the session's total stays at ``fpr``.

In cardinality mode a chunked response would tell the client how many hits
fell in each chunk, and the client knows which of its elements each chunk
holds; so the server shuffles the whole response again after joining the
chunks, which is exactly what the library does within one chunk.

GCS (Golomb-compressed sets) is the default setup structure: about
``log2(client_size / fpr) + 1.5`` bits per server element, against 33 bytes
per element for the raw list. ``fpr`` is the probability that a session
reports any false match at all; 1e-9 keeps that negligible at every set
size the benchmarks use, for about 6 bytes per server element at 10k client
elements.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

# Neither protobuf nor the PSI library ships type information; this module is
# the only one that touches them, and everything they return leaves here as
# bytes or ints.
from google.protobuf.message import DecodeError  # type: ignore[import-untyped]
from private_set_intersection.python import (  # type: ignore[import-untyped]
    DataStructure,
    Request,
    Response,
    ServerSetup,
    client,
    server,
)

from accord.errors import InvalidData

DEFAULT_FPR = 1e-9
RAW = DataStructure.RAW
MAX_WORKERS = 4
T = TypeVar("T")


class SetupStructure(StrEnum):
    """How the server packs its blinded set; ``raw`` has no false positives."""

    GCS = "gcs"
    RAW = "raw"

    def library_value(self) -> Any:
        return RAW if self is SetupStructure.RAW else DataStructure.GCS


def default_workers() -> int:
    """One thread per core, up to ``MAX_WORKERS``."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


@dataclass(frozen=True, slots=True)
class ServerAnswer:
    """What the server sends back: one setup per shard, and the response."""

    setups: tuple[bytes, ...]
    response: bytes
    reveal: bool


def chunks(items: Sequence[T], count: int) -> list[Sequence[T]]:
    """``items`` cut into at most ``count`` contiguous, nearly equal pieces."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    pieces, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        pieces.append(items[start:end])
        start = end
    return pieces


def plan_shards(server_size: int, client_size: int, workers: int) -> int:
    """How many setup shards to build.

    One setup is built on one core; shards let every core work on it, at the
    price of the client decrypting its elements once per shard. That pays
    only when the server's set dwarfs the client's (a big list against a
    small query), so shard only then.
    """
    if workers > 1 and server_size > workers * client_size:
        return workers
    return 1


class PsiClient:
    """The requesting side of one session: holds the secret key until done."""

    def __init__(self, elements: Sequence[str], reveal: bool, workers: int) -> None:
        if not elements:
            raise InvalidData("a PSI request needs at least one element")
        self.elements = list(elements)
        self.reveal = reveal
        self.workers = max(1, workers)
        self._key: bytes = client.CreateWithNewKey(reveal).GetPrivateKeyBytes()

    def _instance(self) -> Any:
        return client.CreateFromKey(self._key, self.reveal)

    def request(self) -> bytes:
        """The blinded elements, serialised for the server."""
        parts = _parallel(
            [
                _bind(lambda part: self._instance().CreateRequest(list(part)), part)
                for part in chunks(self.elements, self.workers)
            ],
            self.workers,
        )
        joined = Request()
        joined.reveal_intersection = self.reveal
        for part in parts:
            joined.encrypted_elements.extend(part.encrypted_elements)
        return bytes(joined.SerializeToString())

    def intersection(self, answer: ServerAnswer) -> list[int]:
        """Positions in ``elements`` that the server's set holds."""
        if not self.reveal or not answer.reveal:
            raise InvalidData("this session reveals only the intersection size")
        setups, response = _parse_answer(answer, len(self.elements))
        offsets = _chunk_offsets(len(self.elements), self.workers)
        found: set[int] = set()
        tasks = [
            _bind(self._hits_in_chunk, (setups, response, start, end))
            for start, end in offsets
        ]
        for hits in _parallel(tasks, self.workers):
            found.update(hits)
        return sorted(found)

    def cardinality(self, answer: ServerAnswer) -> int:
        """How many of ``elements`` the server's set holds."""
        if self.reveal or answer.reveal:
            raise InvalidData("a cardinality session must not reveal elements")
        setups, response = _parse_answer(answer, len(self.elements))
        offsets = _chunk_offsets(len(self.elements), self.workers)
        tasks = [
            _bind(self._size_of_chunk, (setups, response, start, end))
            for start, end in offsets
        ]
        return sum(_parallel(tasks, self.workers))

    def _hits_in_chunk(self, args: tuple[list[Any], Any, int, int]) -> list[int]:
        setups, response, start, end = args
        part = _response_slice(response, start, end)
        instance = self._instance()
        hits: list[int] = []
        with _library_refusal("the PSI answer does not fit this request"):
            for setup in setups:
                hits.extend(start + i for i in instance.GetIntersection(setup, part))
        return hits

    def _size_of_chunk(self, args: tuple[list[Any], Any, int, int]) -> int:
        setups, response, start, end = args
        part = _response_slice(response, start, end)
        instance = self._instance()
        with _library_refusal("the PSI answer does not fit this request"):
            return sum(int(instance.GetIntersectionSize(s, part)) for s in setups)


@dataclass(frozen=True, slots=True)
class ServerOptions:
    """How the serving side answers: mode, accuracy, structure and threads.

    ``setup_capacity`` builds the setup for clients up to that size even when
    this one is smaller, so a kept setup serves later, larger queries too.
    """

    reveal: bool
    fpr: float = DEFAULT_FPR
    structure: SetupStructure = SetupStructure.GCS
    workers: int = 1
    setup_capacity: int = 0


def request_size(request: bytes) -> int:
    """How many elements a serialised request holds; all a server may learn."""
    return len(_parse_request(request).encrypted_elements)


@dataclass(frozen=True, slots=True)
class PreparedSet:
    """A server set blinded under one key: reusable for later requests.

    The setup was built for clients of up to ``capacity`` elements (the
    false-positive rate holds up to that size). Reusing it saves the
    expensive half of a session; see ``PsiServer`` for when that is allowed.
    """

    key: bytes
    setups: tuple[bytes, ...]
    capacity: int
    reveal: bool

    def fits(self, client_size: int, reveal: bool) -> bool:
        return self.reveal == reveal and client_size <= self.capacity


def answer(
    elements: Sequence[str],
    request: bytes,
    options: ServerOptions,
    prepared: PreparedSet | None = None,
) -> tuple[ServerAnswer, PreparedSet]:
    """The server's side of one session.

    Without a fitting ``prepared`` set, a fresh key blinds ``elements`` (in
    parallel with re-blinding the request); with one, only the request is
    re-blinded. The prepared set used is returned so a caller may keep it.
    """
    parsed = _parse_request(request)
    if bool(parsed.reveal_intersection) != options.reveal:
        raise InvalidData(
            "the request's mode does not match the session: "
            + ("intersection" if options.reveal else "cardinality only"),
        )
    if not elements:
        raise InvalidData("the serving set is empty")
    blinded = list(parsed.encrypted_elements)
    workers = max(1, options.workers)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        if prepared is not None and prepared.fits(len(blinded), options.reveal):
            key, capacity = prepared.key, prepared.capacity
            setups = [_done(setup) for setup in prepared.setups]
        else:
            capacity = max(len(blinded), options.setup_capacity)
            key = server.CreateWithNewKey(options.reveal).GetPrivateKeyBytes()
            sizes = (len(blinded), capacity)
            setups = _submit_setups(pool, key, elements, sizes, options)
        replies = [
            pool.submit(_process, key, options.reveal, part)
            for part in chunks(blinded, workers)
        ]
        built = tuple(future.result() for future in setups)
        response = _join_replies(replies, options.reveal)
    kept = PreparedSet(key, built, capacity, options.reveal)
    return ServerAnswer(built, response, options.reveal), kept


def _submit_setups(
    pool: ThreadPoolExecutor,
    key: bytes,
    elements: Sequence[str],
    sizes: tuple[int, int],
    options: ServerOptions,
) -> list[Future[bytes]]:
    """Setup shards, planned for this client's size, built for ``capacity``."""
    client_size, capacity = sizes
    shards = plan_shards(len(elements), client_size, max(1, options.workers))
    ordered = _shard_order(elements, shards, options.reveal)
    return [
        pool.submit(_setup, key, options, shard, capacity, shards)
        for shard in chunks(ordered, shards)
    ]


def _done(value: bytes) -> Future[bytes]:
    future: Future[bytes] = Future()
    future.set_result(value)
    return future


def _shard_order(elements: Sequence[str], shards: int, reveal: bool) -> Sequence[str]:
    """The server's elements in the order they are cut into shards.

    In cardinality mode the client learns a count per shard, so shards must
    be a random partition (not, say, document keys in one and name keys in
    the other); a revealed intersection tells the client more than that
    anyway, and one shard needs no order.
    """
    if shards == 1 or reveal:
        return elements
    shuffled = list(elements)
    secrets.SystemRandom().shuffle(shuffled)
    return shuffled


def _setup(
    key: bytes,
    options: ServerOptions,
    shard: Sequence[str],
    client_size: int,
    shards: int,
) -> bytes:
    """One shard's setup message.

    The library's GCS encoder fails (``ValueError``) on a small set sized for
    a much larger client: a few hundred elements against 100k queries. The
    raw list is small for such a set anyway and has no false positives, so
    that shard falls back to it.
    """
    instance = server.CreateFromKey(key, options.reveal)
    elements = list(shard)
    fpr = options.fpr / shards
    try:
        setup = instance.CreateSetupMessage(
            fpr, client_size, elements, options.structure.library_value()
        )
    except ValueError:
        if options.structure is SetupStructure.RAW:
            raise
        setup = instance.CreateSetupMessage(fpr, client_size, elements, RAW)
    return bytes(setup.SerializeToString())


def _process(key: bytes, reveal: bool, part: Sequence[bytes]) -> list[bytes]:
    chunk_request = Request()
    chunk_request.reveal_intersection = reveal
    chunk_request.encrypted_elements.extend(part)
    with _library_refusal("malformed PSI request"):
        reply = server.CreateFromKey(key, reveal).ProcessRequest(chunk_request)
    return list(reply.encrypted_elements)


def _join_replies(replies: list[Future[list[bytes]]], reveal: bool) -> bytes:
    joined: list[bytes] = []
    for future in replies:
        joined.extend(future.result())
    if not reveal:
        # Chunk boundaries are known to the client: only a whole shuffle hides
        # which chunk a hit came from (see the module docstring).
        secrets.SystemRandom().shuffle(joined)
    response = Response()
    response.encrypted_elements.extend(joined)
    return bytes(response.SerializeToString())


def _parse_request(data: bytes) -> Any:
    request = Request()
    try:
        request.ParseFromString(data)
    except DecodeError as exc:
        raise InvalidData(f"malformed PSI request: {exc}") from None
    if not request.encrypted_elements:
        raise InvalidData("a PSI request needs at least one element")
    return request


def _parse_answer(answer: ServerAnswer, expected: int) -> tuple[list[Any], Any]:
    try:
        setups = []
        for data in answer.setups:
            setup = ServerSetup()
            setup.ParseFromString(data)
            setups.append(setup)
        response = Response()
        response.ParseFromString(answer.response)
    except DecodeError as exc:
        raise InvalidData(f"malformed PSI answer: {exc}") from None
    if not setups:
        raise InvalidData("the PSI answer has no setup message")
    if len(response.encrypted_elements) != expected:
        raise InvalidData(
            f"the PSI answer holds {len(response.encrypted_elements)} elements "
            f"for a request of {expected}"
        )
    return setups, response


def _response_slice(response: Any, start: int, end: int) -> Any:
    part = Response()
    part.encrypted_elements.extend(response.encrypted_elements[start:end])
    return part


def _chunk_offsets(total: int, count: int) -> list[tuple[int, int]]:
    offsets, start = [], 0
    for piece in chunks(range(total), count):
        offsets.append((start, start + len(piece)))
        start += len(piece)
    return offsets


@contextmanager
def _library_refusal(what: str) -> Iterator[None]:
    """The library reports input it cannot use as ``RuntimeError``."""
    try:
        yield
    except RuntimeError as exc:
        raise InvalidData(f"{what}: {exc}") from None


def _bind(function: Callable[[Any], T], argument: Any) -> Callable[[], T]:
    return lambda: function(argument)


def _parallel(tasks: list[Callable[[], T]], workers: int) -> list[T]:
    """Run ``tasks`` on up to ``workers`` threads; results in task order."""
    if len(tasks) == 1 or workers == 1:
        return [task() for task in tasks]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(task) for task in tasks]
        return [future.result() for future in futures]
