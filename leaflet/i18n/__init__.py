"""Languages: reading numbers and units as each language writes them."""
