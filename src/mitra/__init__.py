"""Mitra: local-first self-monitoring, safety and evidence for people who use kratom.

Importing this package does nothing but define names: no settings are read, no database is opened.
"""

__version__ = "0.1.0"
