"""kinerja: simulate how Indonesian civil servants (ASN) are appraised, and what the rules do.

The package is organised by stage of the work (see DESIGN.md section 2):
``scenario`` -> ``population`` -> ``work`` / ``citizens`` -> ``raters`` -> ``policies``
-> ``rewards`` -> ``dynamics`` -> ``metrics``; ``experiment`` runs them many times,
``report`` and ``cli`` face people. Importing the package only defines things.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
