"""Carrying a PSI query to a partner's accord API, and its errors back.

The partner's refusals arrive as its own ``{"error", "detail", "reasons"}``
body and are raised here as the same accord errors, so the requester sees
exactly why the partner said no.
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx
from pydantic import ValidationError

from accord.errors import (
    AccordError,
    BackendError,
    InvalidData,
    NotFound,
    ReleaseDenied,
    Unauthorized,
)
from accord.sharing.psi.wire import PsiAnswerOut, PsiQuery, PsiQueryIn, PsiReply

QUERY_PATH = "/psi/query"
OFFERS_PATH = "/psi/offers"
DEFAULT_TIMEOUT = 600.0


class PsiTransport(Protocol):
    """Anything that can put a query to the serving side and return its reply."""

    def send(self, query: PsiQuery) -> PsiReply: ...


class HttpPsiTransport:
    """``POST <endpoint>/psi/query`` with the API key the partner issued us."""

    def __init__(
        self,
        endpoint: str,
        api_key: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        client: httpx.Client | None = None,
    ) -> None:
        self.base = endpoint.rstrip("/")
        self.url = self.base + QUERY_PATH
        self.api_key = api_key
        self.timeout = timeout
        self.client = client

    def send(self, query: PsiQuery) -> PsiReply:
        body = PsiQueryIn.of(query).model_dump()
        response = self._call("POST", self.url, body)
        try:
            return PsiAnswerOut.model_validate_json(response.content).to_reply()
        except ValidationError as exc:
            raise InvalidData(f"partner sent a malformed PSI answer: {exc}") from None

    def offers(self) -> list[dict[str, Any]]:
        """What the partner lets us query: datasets, key types, mode, limits."""
        response = self._call("GET", self.base + OFFERS_PATH, None)
        try:
            offers = response.json()
        except ValueError:
            offers = None
        if not isinstance(offers, list):
            raise InvalidData("partner sent a malformed list of PSI offers")
        return [dict(offer) for offer in offers if isinstance(offer, dict)]

    def _call(self, method: str, url: str, body: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.api_key}"}
        try:
            if self.client is not None:
                response = self.client.request(method, url, json=body, headers=headers)
            else:
                response = httpx.request(
                    method, url, json=body, headers=headers, timeout=self.timeout
                )
        except httpx.HTTPError as exc:
            raise BackendError(f"partner at {url} did not answer: {exc}") from exc
        if response.status_code != httpx.codes.OK:
            raise partner_error(response)
        return response


def partner_error(response: httpx.Response) -> AccordError:
    """The accord error a partner's error response stands for."""
    try:
        body = response.json()
        detail = str(body.get("detail", ""))
        reasons = [str(r) for r in body.get("reasons", [])]
    except (ValueError, AttributeError):
        detail, reasons = response.text[:200], []
    said = f"partner refused (HTTP {response.status_code}): {detail}"
    status = response.status_code
    if status in (httpx.codes.FORBIDDEN, httpx.codes.TOO_MANY_REQUESTS):
        return ReleaseDenied(said, reasons or [detail])
    if status == httpx.codes.UNAUTHORIZED:
        return Unauthorized(said)
    if status == httpx.codes.NOT_FOUND:
        return NotFound(said)
    if status < httpx.codes.INTERNAL_SERVER_ERROR:
        return InvalidData(said)
    return BackendError(said)
