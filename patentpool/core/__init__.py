"""The pure domain core: plain immutable values and functions over them.

Nothing in this package touches a database, a file or a terminal; the edges call in.
"""
