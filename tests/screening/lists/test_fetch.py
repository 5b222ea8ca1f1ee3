"""Downloading the official lists, against an in-process fake of each publisher."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from accord.errors import NotFound, SourceError
from accord.screening.lists import LIST_READERS
from accord.screening.lists.fetch import LIST_SOURCES, fetch_list, get_source
from accord.screening.lists.ofac_sdn import OfacSdnCsvReader
from tests.screening.lists.support import FIXTURES

Handler = Callable[[httpx.Request], httpx.Response]


def client_for(handler: Handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def serve(files: dict[str, bytes]) -> tuple[Handler, list[str]]:
    """A publisher serving ``files`` by URL, recording what was asked for."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        seen.append(url)
        if url in files:
            return httpx.Response(200, content=files[url])
        return httpx.Response(404, text="not here")

    return handler, seen


def test_every_source_names_a_known_reader_and_https_urls() -> None:
    readers = {reader.NAME for reader in LIST_READERS} | {"un_sc"}
    for name, source in LIST_SOURCES.items():
        assert source.name == name
        assert source.reader in readers
        assert source.files
        assert all(url.startswith("https://") for url in source.urls)


def test_official_urls() -> None:
    assert LIST_SOURCES["un_sc"].urls == (
        "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    )
    assert LIST_SOURCES["ofac_sdn_csv"].urls == (
        "https://www.treasury.gov/ofac/downloads/sdn.csv",
        "https://www.treasury.gov/ofac/downloads/alt.csv",
        "https://www.treasury.gov/ofac/downloads/add.csv",
        "https://www.treasury.gov/ofac/downloads/sdn_comments.csv",
    )
    assert LIST_SOURCES["ofac_sdn_xml"].urls == (
        "https://www.treasury.gov/ofac/downloads/sdn.xml",
    )
    assert LIST_SOURCES["uk_ofsi_csv"].urls == (
        "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
    )
    eu = (
        "https://webgate.ec.europa.eu/fsd/fsf/public/files/"
        "xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"
    )
    assert LIST_SOURCES["eu_fsf_xml"].urls == (eu,)
    assert LIST_SOURCES["ru_rosfin"].urls == (
        "https://www.fedsfm.ru/documents/terrorists-catalog-portal-act",
    )


def test_fetch_downloads_every_file_and_returns_the_main_one(tmp_path: Path) -> None:
    source = LIST_SOURCES["ofac_sdn_csv"]
    files = {
        url: (FIXTURES / "ofac_sdn" / name).read_bytes() for name, url in source.files
    }
    handler, seen = serve(files)
    with client_for(handler) as client:
        path = fetch_list("ofac_sdn_csv", tmp_path / "lists", client)
    assert path == tmp_path / "lists" / "sdn.csv"
    assert seen == list(source.urls)
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(source.file_names)
    entities = list(OfacSdnCsvReader(path).read())
    assert entities[0].get("alias") == ["NATIONAL BANK OF CUBA"]


def test_redirects_are_followed(tmp_path: Path) -> None:
    final = "https://sanctionslistservice.ofac.treas.gov/api/download/sdn.xml"

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == final:
            return httpx.Response(200, content=b"<sdnList/>")
        return httpx.Response(302, headers={"Location": final})

    with client_for(handler) as client:
        path = fetch_list("ofac_sdn_xml", tmp_path, client)
    assert path.read_bytes() == b"<sdnList/>"


def test_http_error_is_a_source_error_and_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_text("yesterday's list")
    source = LIST_SOURCES["ofac_sdn_csv"]
    # The main file arrives, a side file does not: nothing may be replaced.
    handler, _seen = serve({source.urls[0]: b"today's list"})
    with client_for(handler) as client, pytest.raises(SourceError) as info:
        fetch_list("ofac_sdn_csv", tmp_path, client)
    assert info.value.detail == (
        "GET https://www.treasury.gov/ofac/downloads/alt.csv: HTTP 404 Not Found"
    )
    assert (tmp_path / "sdn.csv").read_text() == "yesterday's list"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sdn.csv"]  # no temp files


def test_network_failure_is_a_source_error(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with client_for(handler) as client, pytest.raises(SourceError) as info:
        fetch_list("un_sc", tmp_path, client)
    assert info.value.detail == (
        "GET https://scsanctions.un.org/resources/xml/en/consolidated.xml failed: "
        "ConnectError: connection refused"
    )
    assert list(tmp_path.iterdir()) == []


def test_empty_response_is_a_source_error(tmp_path: Path) -> None:
    empty = client_for(lambda request: httpx.Response(200))
    with empty as client, pytest.raises(SourceError, match="the response is empty"):
        fetch_list("ru_rosfin", tmp_path, client)
    assert list(tmp_path.iterdir()) == []


def test_a_destination_that_cannot_be_made_is_a_source_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    ok = client_for(lambda request: httpx.Response(200, content=b"x"))
    with ok as client, pytest.raises(SourceError, match="cannot create the folder"):
        fetch_list("un_sc", blocker / "lists", client)


def test_unknown_list_is_not_found() -> None:
    with pytest.raises(NotFound, match="unknown list 'nope'; known lists: eu_fsf_xml"):
        get_source("nope")
