"""``python -m leaflet`` works like the ``leaflet`` command."""
import sys

from .cli import main

sys.exit(main())
