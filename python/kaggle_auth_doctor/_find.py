"""Where the installer put the binary.

pip, pipx and uv put a wheel's scripts into the environment's scripts directory
(``bin/`` or ``Scripts\\``). Which one depends on how the package was installed:
a venv or system install, ``pip install --user``, ``--prefix`` or ``--target``.
"""

import os
import sys
import sysconfig

NAME = "kaggle-auth-doctor"


def _user_scheme() -> str:
    if sys.version_info >= (3, 10):
        return sysconfig.get_preferred_scheme("user")
    if os.name == "nt":
        return "nt_user"
    if sys.platform == "darwin" and getattr(sys, "_framework", None):
        return "osx_framework_user"
    return "posix_user"


def _candidates():
    exe = NAME + (sysconfig.get_config_var("EXE") or "")
    # The environment this Python runs in (a venv, pipx/uv tool env, or the system).
    yield os.path.join(sysconfig.get_path("scripts"), exe)
    # `pip install --user`.
    try:
        yield os.path.join(sysconfig.get_path("scripts", scheme=_user_scheme()), exe)
    except KeyError:
        pass
    # `pip install --prefix DIR`: DIR/lib/pythonX.Y/site-packages holds this package, the
    # scripts are in DIR/bin (the default scheme's layout, under another base).
    site_packages = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    base = sysconfig.get_config_var("base") or sys.prefix
    tail = os.path.relpath(sysconfig.get_path("purelib"), base)
    if not tail.startswith("..") and site_packages.endswith(os.sep + tail):
        prefix = site_packages[: -len(tail) - 1]
        yield os.path.join(prefix, os.path.relpath(sysconfig.get_path("scripts"), base), exe)
    # `pip install --target DIR`: the scripts land in DIR/bin.
    yield os.path.join(site_packages, "bin", exe)


def find_binary() -> str:
    """Return the path of the bundled ``kaggle-auth-doctor`` binary.

    Raises ``FileNotFoundError`` (listing the places searched) when it is missing.
    """
    searched = []
    for path in _candidates():
        if os.path.isfile(path):
            return path
        if path not in searched:
            searched.append(path)
    raise FileNotFoundError(
        "the kaggle-auth-doctor binary is not installed next to this Python package "
        "(searched: " + ", ".join(searched) + "); "
        "reinstall it: pip install --force-reinstall kaggle-auth-doctor"
    )
