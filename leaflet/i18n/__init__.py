"""Languages: reading numbers and units as each language writes them, and translating leaflets
(XLIFF 1.2 for CAT tools)."""
