"""The partner's answers, errors included, as the requester sees them."""

from __future__ import annotations

import httpx
import pytest

from accord.errors import (
    BackendError,
    InvalidData,
    NotFound,
    ReleaseDenied,
    Unauthorized,
)
from accord.sharing.psi import KEY_VERSION, HttpPsiTransport, KeyType
from accord.sharing.psi.transport import partner_error
from accord.sharing.psi.wire import PsiQuery

QUERY = PsiQuery(
    "0123456789abcdef",
    "watchlist",
    frozenset({KeyType.DOCUMENT}),
    KEY_VERSION,
    False,
    b"\x01\x02",
)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (403, ReleaseDenied),
        (429, ReleaseDenied),
        (401, Unauthorized),
        (404, NotFound),
        (422, InvalidData),
        (503, BackendError),
    ],
)
def test_partner_errors_become_accord_errors(status: int, error: type) -> None:
    body = {"error": "x", "detail": "because", "reasons": ["rule one"]}
    raised = partner_error(httpx.Response(status, json=body))
    assert isinstance(raised, error)
    assert f"HTTP {status}" in raised.detail
    if isinstance(raised, ReleaseDenied):
        assert raised.reasons == ["rule one"]


def test_a_non_json_error_body_still_explains() -> None:
    raised = partner_error(httpx.Response(502, text="bad gateway"))
    assert isinstance(raised, BackendError)
    assert "bad gateway" in raised.detail


def test_the_key_travels_as_bearer_and_a_bad_answer_is_refused() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"session": "x"})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    transport = HttpPsiTransport("https://bravo.test/", "acc_k_s", client=client)
    with pytest.raises(InvalidData, match="malformed PSI answer"):
        transport.send(QUERY)
    assert seen[0].url == "https://bravo.test/psi/query"
    assert seen[0].headers["Authorization"] == "Bearer acc_k_s"


def test_an_unreachable_partner_is_a_backend_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    transport = HttpPsiTransport("https://bravo.test", "k", client=client)
    with pytest.raises(BackendError, match="did not answer"):
        transport.send(QUERY)
