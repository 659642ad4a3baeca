"""patentpool: an open administrator for the patent pool of a standards alliance.

The pure domain lives in :mod:`patentpool.core`; storage, importers, reports and the CLI sit
around it and call in.
"""

__version__ = "0.1.0"
