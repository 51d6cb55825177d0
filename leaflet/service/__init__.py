"""The HTTP service, ``leaflet serve`` (the only Starlette and uvicorn user): see app.py."""
