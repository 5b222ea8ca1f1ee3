"""The travel readers, registered like any plugin's.

``accord.plugins.BUILTIN_PLUGINS`` must list ``"accord.travel.plugin"`` for
``accord ingest --format paxlst|pnrgov`` to find them.
"""

from accord.plugins import Plugin
from accord.travel.paxlst import PaxlstReader
from accord.travel.pnrgov import PnrgovReader

PLUGIN = Plugin(name="accord.travel", readers=(PaxlstReader, PnrgovReader))
