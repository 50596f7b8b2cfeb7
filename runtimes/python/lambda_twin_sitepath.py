"""What a Python function may import, as on Lambda: the interpreter starts with -S (no host site-packages, no user
site), so sys.path holds the function, its layers, the runtime-provided libraries (PYTHONPATH) and the standard
library. A virtualenv's interpreter given on purpose keeps that virtualenv's site-packages, after those."""

import sys


def keep_only_lambda_paths():
    if sys.flags.no_site and sys.prefix != sys.base_prefix:
        import site

        for directory in site.getsitepackages([sys.prefix]):
            site.addsitedir(directory)
