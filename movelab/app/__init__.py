"""Front ends a clinician uses directly, over the library. The ``movelab`` command itself is :mod:`movelab.cli`.

* The webcam recorder with its live preview (:mod:`movelab.app.record`, ``movelab record``).
* The clinic web app (``movelab serve``): clients, sessions, uploads and webcam recordings in the browser.
  Its parts: :mod:`~movelab.app.db` (SQLite records and the job queue), :mod:`~movelab.app.storage` (the
  data folder), :mod:`~movelab.app.uploads` (receiving videos), :mod:`~movelab.app.worker` (analyses beside
  the server), :mod:`~movelab.app.live` (the webcam page's preview), :mod:`~movelab.app.progress` (trends
  and comparisons), :mod:`~movelab.app.web` (pages and JSON API) and :mod:`~movelab.app.serve` (the
  command). Needs the ``app`` extra: ``pip install 'movelab[app]'``.
"""
