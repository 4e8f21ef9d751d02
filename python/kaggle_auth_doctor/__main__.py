"""``python -m kaggle_auth_doctor ARGS``: run the bundled binary with ARGS.

The binary replaces this process (``os.execv``), so its exit code, signals and terminal
are the user's directly. Windows has no real exec: there the binary runs as a child and
its exit code is passed on; Ctrl+C reaches both, and we wait for the child to finish.
"""

import os
import sys

from ._find import find_binary


def main() -> int:
    try:
        binary = os.fsdecode(find_binary())
    except FileNotFoundError as e:
        sys.stderr.write("error: %s\n" % e)
        return 4  # a runtime failure, as the binary's own (README, exit codes)
    argv = [binary] + sys.argv[1:]
    if sys.platform == "win32":
        import subprocess

        child = subprocess.Popen(argv)
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                continue
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(binary, argv)
    return 4  # not reached


if __name__ == "__main__":
    sys.exit(main())
