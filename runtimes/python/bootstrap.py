"""lambda-twin's Python runtime entry point. The runtime client lives in lambda_twin_runtime.py, a module, so
Python caches its bytecode and a cold start does not compile it again."""

import lambda_twin_sitepath

lambda_twin_sitepath.keep_only_lambda_paths()

import lambda_twin_runtime  # noqa: E402

lambda_twin_runtime.main()
