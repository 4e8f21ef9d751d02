"""kaggle-auth-doctor: find out why the Kaggle API says 401, and get the exact fix.

The package carries the Rust binary ``kaggle-auth-doctor`` (installed into the
environment's scripts directory, next to ``pip``). Run it as ``kaggle-auth-doctor`` or
``python -m kaggle_auth_doctor``; :func:`find_binary` returns its path for other uses.
"""

from ._find import find_binary

__all__ = ["find_binary"]
