"""What the hash-bank part of monitoring registers: its detector."""

from accord.monitoring.hashing.detector import KnownContentDetector
from accord.plugins import Plugin

PLUGIN = Plugin(name="accord.monitoring.hashing", detectors=(KnownContentDetector,))
