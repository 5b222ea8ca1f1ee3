"""Detectors of the resolution capability."""

from accord.plugins import Plugin
from accord.resolve.shared_identifier import SharedIdentifierDetector

PLUGIN = Plugin(name="accord.resolve", detectors=(SharedIdentifierDetector,))
