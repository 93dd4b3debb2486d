"""Process-wide memory settings of the ``movelab`` command.

NumPy asks Linux for transparent huge pages (``madvise(MADV_HUGEPAGE)``) on every array of 4 MB or more. Where
the kernel then compacts memory on the spot to find them (``/sys/kernel/mm/transparent_hugepage/defrag`` set to
``madvise``, a common default), a fresh process pays for it in system time on first touch: reading the
250-MB landmark file of a 10-minute recording took 0.3-1.2 s of CPU, nearly all of it in the kernel, against
0.2 s without the advice (``docs/pose-accuracy.md``, Speed). The command line turns the advice off for its own
process; a program that imports movelab keeps NumPy's setting (``NUMPY_MADVISE_HUGEPAGE=0`` does the same).
"""

from __future__ import annotations

import os
import sys

__all__ = ["no_huge_page_advice"]


def no_huge_page_advice() -> bool:
    """Stop NumPy advising huge pages in this process and the processes it starts, unless
    ``NUMPY_MADVISE_HUGEPAGE`` says otherwise.

    Returns
    -------
    bool
        True when the advice is off now (it was turned off, or NumPy has no such switch to turn).
    """
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:  # the user's choice
        return os.environ["NUMPY_MADVISE_HUGEPAGE"] == "0"
    if "numpy" not in sys.modules:  # read by NumPy on import (and by movelab's worker processes): costs nothing
        os.environ["NUMPY_MADVISE_HUGEPAGE"] = "0"
        return True
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:  # NumPy 1.x
        try:
            from numpy.core.multiarray import _set_madvise_hugepage
        except ImportError:
            return True
    _set_madvise_hugepage(False)
    return True
