"""In a Python subprocess started by a fast test (``MOVELAB_FAST_TEST`` set by tests/conftest.py), starting the
pose model writes why to the process's original stderr and exits with code 97, which fails the test that
expected something else. (Shadows Debian's sitecustomize, which only installs apport's crash hook.)"""

import os

if os.environ.get("MOVELAB_FAST_TEST"):
    from pose_guard import install, message

    _stderr = os.dup(2)  # movelab silences the native stderr around MediaPipe calls

    def _refuse(nodeid: str) -> None:
        os.write(_stderr, (message(nodeid) + " (in a subprocess)\n").encode())
        os._exit(97)

    install(lambda: os.environ.get("MOVELAB_FAST_TEST"), _refuse)
