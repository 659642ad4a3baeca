"""Import and export edge: files in, plain core values out (and back).

Pydantic validates every record at the boundary; every problem names file, line and field.
"""
