"""Front ends a clinician uses directly, over the library: the webcam recorder with its live preview
(:mod:`movelab.app.record`). The ``movelab`` command itself is :mod:`movelab.cli`."""
