"""Content: load a leaflet file, check it, and hold it as plain data (no ReportLab, no PDF)."""
