"""The Dask engine of :func:`movelab.batch.run_batch`: one task per video on a ``dask.distributed`` cluster.

Needs the optional extra: ``pip install movelab[dask]``. Each worker runs
:func:`movelab.batch.analyse_one`, which writes the video's results itself, so the input folder and the
output folder must be reachable at the same paths on every worker (shared storage such as NFS); only the
summary rows travel back to the client, which writes ``summary.csv``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from movelab.config import Config
from movelab.errors import ConfigError

__all__ = ["run_on_dask"]


def run_on_dask(
    tasks: list, config: Config, movement: str, *, scheduler: str | None, jobs: int | None
) -> Iterator[dict[str, Any]]:
    """Rows of ``tasks`` as they finish on the cluster at ``scheduler`` (None: a local cluster of ``jobs``)."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ConfigError("the dask engine needs the dask extra: pip install 'movelab[dask]'") from None
    from movelab._batch_task import analyse_one, lost_row

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=jobs or 2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    try:
        client = Client(cluster if cluster is not None else scheduler, timeout="30s")
    except (OSError, TimeoutError) as err:
        if cluster is not None:
            cluster.close()
        raise ConfigError(f"cannot reach the Dask scheduler at {scheduler!r}: {' '.join(str(err).split())}") from None
    try:
        futures = {client.submit(analyse_one, t, config, movement, pure=False): t for t in tasks}
        for future in as_completed(futures):
            if future.status == "finished":
                yield future.result()
            else:
                yield lost_row(futures[future], f"the dask task failed: {' '.join(str(future.exception()).split())}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
