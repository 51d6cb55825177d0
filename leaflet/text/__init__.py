"""Text: what a leaflet prints, as plain strings: inline markup, paragraphs, reading order, page furniture."""
