"""Checks on built PDFs: reading them back (the only package that imports pypdf)."""
