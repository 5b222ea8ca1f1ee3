"""What the screening capability registers: its list readers and detector."""

from accord.plugins import Plugin
from accord.screening.detector import WatchlistMatchDetector

PLUGIN = Plugin(name="accord.screening", detectors=(WatchlistMatchDetector,))
