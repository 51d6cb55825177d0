"""Personalisation: a prescription (who the leaflet is for, how to take the medicine) and where it
comes from (a prescription file, a sheet row, a FHIR Bundle, an HTTP form).

Every input form is turned into a plain mapping of field names and a locator, and
:func:`leaflet.personal.model.from_record` validates it into a
:class:`~leaflet.personal.model.Prescription`. See :mod:`leaflet.personal.model` for the contract.
"""
