"""Where each official list is published, and downloading it from there.

``LIST_SOURCES`` is data: one ``ListSource`` per list, naming the reader that
parses it and the official file(s) it is made of. ``fetch_list`` downloads
them with the caller's ``httpx.Client`` (so timeouts, proxies and the user
agent are the caller's choice, and tests pass an ``httpx.MockTransport``).

Why two steps per download: each file is streamed to a temporary file in the
destination folder and only renamed into place once *every* file of the list
has arrived. A failed or interrupted download therefore leaves the previous
copy untouched, and OFAC's four CSV files are never a mix of two days.
Failures raise ``SourceError`` naming the URL and what went wrong.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx

from accord.errors import NotFound, SourceError

__all__ = ["LIST_SOURCES", "ListSource", "fetch_list", "get_source"]

_OFAC = "https://www.treasury.gov/ofac/downloads"
_EU = (
    "https://webgate.ec.europa.eu/fsd/fsf/public/files/"
    "xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"
)


@dataclass(frozen=True, slots=True)
class ListSource:
    """One official list: its reader and the files it is published as.

    ``files`` pairs each local file name with its official URL; the first
    file is the one the reader is given (the others sit beside it).
    """

    name: str
    title: str
    reader: str
    publisher: str
    files: tuple[tuple[str, str], ...]

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(url for _name, url in self.files)

    @property
    def file_names(self) -> tuple[str, ...]:
        return tuple(name for name, _url in self.files)


def _ofac(folder: str, *names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, f"{_OFAC}{folder}/{name}") for name in names)


LIST_SOURCES: dict[str, ListSource] = {
    source.name: source
    for source in (
        ListSource(
            name="un_sc",
            title="UN Security Council Consolidated List",
            reader="un_sc",
            publisher="United Nations Security Council",
            files=(
                (
                    "consolidated.xml",
                    "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
                ),
            ),
        ),
        ListSource(
            name="ofac_sdn_csv",
            title="OFAC Specially Designated Nationals (SDN) list, legacy CSV",
            reader="ofac_sdn_csv",
            publisher="US Treasury, Office of Foreign Assets Control",
            files=_ofac("", "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"),
        ),
        ListSource(
            name="ofac_sdn_xml",
            title="OFAC Specially Designated Nationals (SDN) list, XML",
            reader="ofac_sdn_xml",
            publisher="US Treasury, Office of Foreign Assets Control",
            files=_ofac("", "sdn.xml"),
        ),
        ListSource(
            name="ofac_cons_csv",
            title="OFAC Consolidated (non-SDN) list, legacy CSV",
            reader="ofac_cons_csv",
            publisher="US Treasury, Office of Foreign Assets Control",
            files=_ofac(
                "/consolidated",
                "cons_prim.csv",
                "cons_alt.csv",
                "cons_add.csv",
                "cons_comments.csv",
            ),
        ),
        ListSource(
            name="uk_ofsi_csv",
            title="UK OFSI Consolidated List of financial sanctions targets",
            reader="uk_ofsi_csv",
            publisher="HM Treasury, Office of Financial Sanctions Implementation",
            files=(
                (
                    "ConList.csv",
                    "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
                ),
            ),
        ),
        ListSource(
            name="uk_sanctions_xml",
            title="UK Sanctions List (FCDO)",
            reader="uk_sanctions_xml",
            publisher="Foreign, Commonwealth & Development Office",
            files=(
                (
                    "UK-Sanctions-List.xml",
                    "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
                ),
            ),
        ),
        ListSource(
            name="eu_fsf_xml",
            title="EU consolidated list of financial sanctions (FSF)",
            reader="eu_fsf_xml",
            publisher="European Commission (FPI), for the Council of the EU",
            files=(
                (
                    "eu_fsf.xml",
                    _EU,
                ),
            ),
        ),
        ListSource(
            name="ru_rosfin",
            title="Rosfinmonitoring list of terrorists and extremists",
            reader="ru_rosfin",
            publisher="Federal Financial Monitoring Service (Rosfinmonitoring)",
            files=(
                (
                    "rosfin.html",
                    "https://www.fedsfm.ru/documents/terrorists-catalog-portal-act",
                ),
            ),
        ),
    )
}


def get_source(name: str) -> ListSource:
    """The list called ``name``, or ``NotFound`` naming the known ones."""
    source = LIST_SOURCES.get(name)
    if source is None:
        known = ", ".join(sorted(LIST_SOURCES))
        raise NotFound(f"unknown list {name!r}; known lists: {known}")
    return source


def fetch_list(name: str, dest_dir: Path, client: httpx.Client) -> Path:
    """Download list ``name`` into ``dest_dir``; return the file to read.

    Nothing in ``dest_dir`` changes unless every file of the list arrived.
    """
    source = get_source(name)
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SourceError(f"{dest_dir}: cannot create the folder: {exc}") from exc
    done: list[tuple[Path, Path]] = []
    try:
        for file_name, url in source.files:
            done.append(
                (_download(url, dest_dir, file_name, client), dest_dir / file_name)
            )
        for temporary, final in done:
            os.replace(temporary, final)
    finally:
        for temporary, _final in done:
            temporary.unlink(missing_ok=True)
    return dest_dir / source.files[0][0]


def _download(url: str, dest_dir: Path, file_name: str, client: httpx.Client) -> Path:
    """Stream ``url`` to a temporary file beside ``file_name``; return its path."""
    handle, name = tempfile.mkstemp(
        dir=dest_dir, prefix=f".{file_name}.", suffix=".part"
    )
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            _stream(url, client, out)
    except httpx.HTTPError as exc:
        temporary.unlink(missing_ok=True)
        raise SourceError(f"GET {url} failed: {type(exc).__name__}: {exc}") from exc
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise SourceError(f"{dest_dir}: cannot write {file_name}: {exc}") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _stream(url: str, client: httpx.Client, out: BinaryIO) -> None:
    """Copy the body of a successful GET of ``url`` to ``out``."""
    size = 0
    with client.stream("GET", url, follow_redirects=True) as response:
        if not response.is_success:
            reason = f"HTTP {response.status_code} {response.reason_phrase}".strip()
            raise SourceError(f"GET {url}: {reason}")
        for chunk in response.iter_bytes():
            out.write(chunk)
            size += len(chunk)
    if size == 0:
        raise SourceError(f"GET {url}: the response is empty")
