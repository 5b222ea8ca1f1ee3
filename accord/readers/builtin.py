"""The readers that ship with accord, registered like any plugin's."""

from accord.plugins import Plugin
from accord.readers.ftm_jsonl import FtmJsonLinesReader
from accord.readers.un_sc import UnScReader

PLUGIN = Plugin(name="accord.readers", readers=(FtmJsonLinesReader, UnScReader))
