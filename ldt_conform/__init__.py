"""ldt-conform: conformance checks for Local Digital Twins against the LDT4SSC interoperability blueprint."""
from __future__ import annotations

__version__ = "0.1.0"
