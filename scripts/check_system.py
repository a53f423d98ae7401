"""Check the system libraries the PDF needs, with a clear message instead of a traceback.

WeasyPrint (the PDF engine) needs Pango at run time. Debian and Ubuntu ship it as
libpango-1.0-0 and libpangoft2-1.0-0; libharfbuzz-subset0 makes fonts smaller.
"""

import sys

APT = "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


def main() -> int:
    try:
        import weasyprint  # noqa: F401, PLC0415
    except OSError as exc:  # a shared library is missing
        print(f"The PDF engine cannot start: {exc}", file=sys.stderr)
        print(f"Install the system libraries it needs: {APT}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"WeasyPrint is not installed in this environment ({exc}); run `make venv`.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
