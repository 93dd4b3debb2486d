"""A client's progress: the trend of key measures over their sessions, and two sessions compared.

Both read the sessions' report.json / angles.csv from the data folder and hand them to the library
(:mod:`movelab.report.trends`, :mod:`movelab.report.compare`).
"""

from __future__ import annotations

import datetime
import json

from movelab.app import db as appdb
from movelab.app.storage import DataDir

__all__ = ["client_trend_png", "compare_two"]


def client_trend_png(database, data: DataDir, client_id: int, movement: str) -> bytes | None:
    """The trend figure of one client's finished sessions of ``movement``; None when there is none."""
    from movelab.findings import FindingsConfig
    from movelab.report.trends import trend_png, trend_table

    client = appdb.get_client(database, client_id)
    if client is None:
        return None
    sessions = []
    for analysis in appdb.list_analyses(database, client_id=client_id):
        path = data.session_file(analysis.id, "report.json") if analysis.status == "done" else None
        if path is not None and analysis.movement == movement:
            when = datetime.datetime.fromtimestamp(analysis.created_at)
            sessions.append((when, json.loads(path.read_text(encoding="utf-8"))))
    if not sessions:
        return None
    table = trend_table(sessions, movement=movement, config=FindingsConfig(sex=client.sex))
    return trend_png(table, title=f"{movement}: {len(sessions)} session(s)")


def compare_two(data: DataDir, a: appdb.Analysis, b: appdb.Analysis) -> str:
    """The comparison page (``movelab compare``'s compare.html) of two finished sessions."""
    from movelab.report.compare import compare_png, compare_sessions, load_session, render_compare_html

    labels = [datetime.datetime.fromtimestamp(x.created_at).strftime("%Y-%m-%d %H:%M") for x in (a, b)]
    if labels[0] == labels[1]:
        labels = [f"{labels[0]} (A)", f"{labels[1]} (B)"]
    sa = load_session(data.session(a.id), label=labels[0])
    sb = load_session(data.session(b.id), label=labels[1])
    result = compare_sessions(sa.report, sb.report, labels=labels)
    return render_compare_html(result, compare_png(sa, sb))
