"""Accord: counter-terrorism cooperation over FtM entities.

Find terrorists, their propaganda, their money and their travel in your own
data, and share with partners exactly what each agreement allows.
"""

__version__ = "0.1.0"
