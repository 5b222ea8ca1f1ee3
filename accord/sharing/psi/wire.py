"""The two PSI messages as they travel over HTTP, and their in-process forms.

One round trip: the requester POSTs its blinded set (``PsiQueryIn``), the
serving side answers with its setup and the re-blinded set
(``PsiAnswerOut``). Protocol buffers from the library travel as base64 in
JSON, so the route is an ordinary, documented OpenAPI operation.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from pydantic import BaseModel, Field

from accord.errors import InvalidData
from accord.sharing.psi.keys import KeyType
from accord.sharing.psi.protocol import ServerAnswer


@dataclass(frozen=True, slots=True)
class PsiQuery:
    """A requester's session: which dataset, which keys, which mode."""

    session: str
    dataset: str
    key_types: frozenset[KeyType]
    key_version: str
    cardinality_only: bool
    request: bytes


@dataclass(frozen=True, slots=True)
class PsiReply:
    """The serving side's answer to one query."""

    session: str
    dataset: str
    server_size: int
    fpr: float
    structure: str
    answer: ServerAnswer


class PsiQueryIn(BaseModel):
    session: str = Field(
        min_length=8, max_length=64, description="Id both audit logs record."
    )
    dataset: str = Field(
        max_length=64, description="The serving side's dataset to intersect with."
    )
    key_types: list[str] = Field(min_length=1, description="Key types in the set.")
    key_version: str = Field(description="How keys were derived; must match.")
    cardinality_only: bool = Field(description="Ask only for the size.")
    request: str = Field(description="Base64 of the library's serialised Request.")

    @classmethod
    def of(cls, query: PsiQuery) -> PsiQueryIn:
        return cls(
            session=query.session,
            dataset=query.dataset,
            key_types=sorted(k.value for k in query.key_types),
            key_version=query.key_version,
            cardinality_only=query.cardinality_only,
            request=_encode(query.request),
        )

    def to_query(self) -> PsiQuery:
        return PsiQuery(
            session=self.session,
            dataset=self.dataset,
            key_types=KeyType.parse_many(self.key_types),
            key_version=self.key_version,
            cardinality_only=self.cardinality_only,
            request=_decode(self.request, "request"),
        )


class PsiAnswerOut(BaseModel):
    session: str
    dataset: str
    server_size: int = Field(description="Elements in the serving set.")
    reveal: bool = Field(description="False when only the size can be learned.")
    fpr: float = Field(description="Chance of any false match in this session.")
    structure: str = Field(description="Setup structure: gcs or raw.")
    setups: list[str] = Field(description="Base64 setup message, one per shard.")
    response: str = Field(description="Base64 of the library's serialised Response.")

    @classmethod
    def of(cls, reply: PsiReply) -> PsiAnswerOut:
        return cls(
            session=reply.session,
            dataset=reply.dataset,
            server_size=reply.server_size,
            reveal=reply.answer.reveal,
            fpr=reply.fpr,
            structure=reply.structure,
            setups=[_encode(setup) for setup in reply.answer.setups],
            response=_encode(reply.answer.response),
        )

    def to_reply(self) -> PsiReply:
        answer = ServerAnswer(
            setups=tuple(_decode(s, "setups") for s in self.setups),
            response=_decode(self.response, "response"),
            reveal=self.reveal,
        )
        return PsiReply(
            session=self.session,
            dataset=self.dataset,
            server_size=self.server_size,
            fpr=self.fpr,
            structure=self.structure,
            answer=answer,
        )


def _encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _decode(text: str, field: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidData(f"{field} is not base64", {field: "not base64"}) from None
