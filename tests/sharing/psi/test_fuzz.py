"""Hostile input to the parsers: refused with accord errors, never a crash."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import ConfigError, InvalidData
from accord.sharing.psi.consent import ConsentBook
from accord.sharing.psi.protocol import (
    PsiClient,
    Request,
    ServerAnswer,
    ServerOptions,
    answer,
    request_size,
)


@given(st.binary(max_size=200))
def test_any_request_bytes_are_counted_or_refused(data: bytes) -> None:
    with contextlib.suppress(InvalidData):
        assert request_size(data) >= 1


@settings(max_examples=30)
@given(st.binary(max_size=100), st.lists(st.binary(max_size=100), max_size=2))
def test_any_answer_bytes_are_refused_cleanly(
    response: bytes, setups: list[bytes]
) -> None:
    client = PsiClient(["a", "b"], True, 1)
    with contextlib.suppress(InvalidData):
        client.intersection(ServerAnswer(tuple(setups), response, True))


@settings(max_examples=30)
@given(st.lists(st.binary(min_size=1, max_size=40), min_size=1, max_size=3))
def test_any_blinded_elements_are_answered_or_refused(elements: list[bytes]) -> None:
    request = Request()
    request.reveal_intersection = True
    request.encrypted_elements.extend(elements)
    with contextlib.suppress(InvalidData):
        answer(["a", "b"], request.SerializeToString(), ServerOptions(reveal=True))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=10,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "role": st.sampled_from(["serve", "request", "other"]) | json_values,
        "dataset": st.sampled_from(["watchlist", "Bad Name"]) | json_values,
        "partner": st.just("bravo") | json_values,
        "key_types": st.lists(st.sampled_from(["document", "x"])) | json_values,
        "expires_at": st.sampled_from(["2030-01-01", "nope"]) | json_values,
        "remote_dataset": st.just("theirs") | json_values,
    },
)


@given(st.dictionaries(st.sampled_from(["limits", "consents"]), st.lists(records)))
def test_any_consent_file_loads_or_is_a_config_error(data: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "psi_consent.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        try:
            book = ConsentBook.load(path)
        except ConfigError as exc:
            assert str(path) in exc.detail
        else:
            assert all(r.key_types for r in book.records)


@pytest.mark.parametrize(
    "text", ["[]", '{"consents": [null]}', '{"consents": [{"key_types": [null]}]}']
)
def test_a_consent_file_of_the_wrong_shape_is_a_config_error(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "psi_consent.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="not a valid PSI consent file"):
        ConsentBook.load(path)
