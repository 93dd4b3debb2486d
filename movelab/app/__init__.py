"""The clinic app: ``movelab serve`` runs a local web app for clients, sessions, uploads and webcam recordings.

A thin layer over the library (:func:`movelab.analysis.analyse`, :mod:`movelab.report`); its own parts:
:mod:`~movelab.app.db` (SQLite records and the job queue), :mod:`~movelab.app.storage` (the data folder),
:mod:`~movelab.app.uploads` (receiving videos), :mod:`~movelab.app.worker` (analyses beside the server),
:mod:`~movelab.app.progress` (trends and comparisons), :mod:`~movelab.app.web` (pages and JSON API) and
:mod:`~movelab.app.serve` (the command). Needs the ``app`` extra: ``pip install 'movelab[app]'``.
"""

__all__: list[str] = []
