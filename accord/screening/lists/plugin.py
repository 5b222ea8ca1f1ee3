"""The official list readers, as a plugin manifest like any other's.

Registered once ``accord.screening.lists.plugin`` is named in
``accord.plugins.BUILTIN_PLUGINS``.
"""

from accord.plugins import Plugin
from accord.screening.lists import LIST_READERS

PLUGIN = Plugin(name="accord.screening.lists", readers=LIST_READERS)
