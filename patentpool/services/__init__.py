"""Use cases over a database session: load plain values, call the core, store results.

The CLI and the reports call these; they call the core and storage, never the CLI.
"""
