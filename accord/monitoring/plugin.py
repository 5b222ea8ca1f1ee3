"""The monitoring readers and detectors, registered like any plugin's.

``accord.plugins.BUILTIN_PLUGINS`` lists ``"accord.monitoring.plugin"``.
"""

from accord.monitoring.detectors import (
    CallToAttackDetector,
    FundraisingDetector,
    InstructionsDetector,
    RecruitmentDetector,
)
from accord.monitoring.posts import PostsCsvReader, PostsJsonlReader
from accord.monitoring.propaganda import PropagandaDetector
from accord.monitoring.telegram import TelegramExportReader
from accord.plugins import Plugin

PLUGIN = Plugin(
    name="accord.monitoring",
    readers=(TelegramExportReader, PostsCsvReader, PostsJsonlReader),
    detectors=(
        PropagandaDetector,
        CallToAttackDetector,
        RecruitmentDetector,
        FundraisingDetector,
        InstructionsDetector,
    ),
)
