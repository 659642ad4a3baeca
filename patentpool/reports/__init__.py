"""Reports: context builders over core values, and their rendering to HTML, Markdown, PDF, DOCX
and JSON through jinja templates (``render``), with charts drawn by matplotlib."""
