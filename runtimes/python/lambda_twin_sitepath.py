"""What a Python function may import, as on Lambda: the interpreter starts with -S (no host site-packages, no user
site), so sys.path holds the function, its layers, the runtime-provided libraries (PYTHONPATH) and the standard
library. A virtualenv's interpreter given on purpose keeps that virtualenv's own site-packages, after those (never
the host's, even with include-system-site-packages)."""

import os
import sys


def keep_only_lambda_paths():
    if not sys.flags.no_site:
        return
    bin_dir = os.path.dirname(os.path.abspath(sys.executable))
    for candidate in (bin_dir, os.path.dirname(bin_dir)):
        if os.path.isfile(os.path.join(candidate, "pyvenv.cfg")):
            import site

            # site.py does this for a venv when it runs; with -S it does not run.
            sys.prefix = sys.exec_prefix = candidate
            for directory in site.getsitepackages([candidate]):
                if os.path.isdir(directory):
                    site.addsitedir(directory)
            return
