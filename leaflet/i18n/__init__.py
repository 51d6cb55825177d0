"""Languages: dates and numbers as each locale writes them (CLDR, through Babel), reading numbers
and units as each language writes them, translating leaflets (XLIFF 1.2 for CAT tools), and
pseudo-localisation (``leaflet build --pseudo``)."""
