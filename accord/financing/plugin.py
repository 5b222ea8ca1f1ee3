"""What the financing capability registers: its readers and detectors.

``accord.plugins.BUILTIN_PLUGINS`` lists ``"accord.financing.plugin"`` so
``accord ingest --format amlsim|amlworld|transactions_csv|camt053`` and ``accord run``
find them.
"""

from accord.financing.camt import Camt053Reader
from accord.financing.detectors import (
    FinancingTypologyDetector,
    MonitoredIdentifierDetector,
)
from accord.financing.readers import AmlsimReader, AmlworldReader, TransactionCsvReader
from accord.plugins import Plugin

PLUGIN = Plugin(
    name="accord.financing",
    readers=(AmlsimReader, AmlworldReader, TransactionCsvReader, Camt053Reader),
    detectors=(FinancingTypologyDetector, MonitoredIdentifierDetector),
)
