"""Fail early, with a sentence, when the Python that creates .venv is too old."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - runs under whatever python3 the machine has
    sys.exit(f"The IVIG guide needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
