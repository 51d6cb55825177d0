"""Typesetting: the model laid out into PDF pages. The only package that imports ReportLab."""
