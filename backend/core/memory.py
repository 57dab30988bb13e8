"""Start-up memory and garbage-collector handling.

Start-up creates ~230,000 long-lived objects the collector tracks (routes, models, the bot's
index). With the collector on, every ~25 % of heap growth triggers a full collection that walks
all of them again: CPU spent finding no garbage. So start-up runs with the collector paused
(`collector_paused`), and afterwards `settle_after_startup` moves what is alive to the permanent
generation (`gc.freeze`: later collections skip it, so a request's occasional full collection
walks only what requests created), and hands freed heap back to the system (glibc keeps it
otherwise; ~10 MB per worker after loading the bot's index).
Elsewhere than glibc the trim does nothing."""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the block (reference counting still frees nearly
    everything); restored as it was, even when the block fails."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


M_ARENA_MAX = -8  # glibc's mallopt parameter number (malloc.h)
MALLOC_ARENAS = 2


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None)  # the C library the interpreter runs on
    except OSError:
        return None


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> None:
    """glibc gives threads their own heaps (up to 8 per core); a worker's ~40 request threads
    then each keep freed memory in a heap of their own. Two heaps are plenty under the GIL.
    The same as MALLOC_ARENA_MAX=2 in the environment, but also for a bare `uvicorn` command;
    call before the threads start. Elsewhere than glibc it does nothing."""
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is not None:
        mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        mallopt(M_ARENA_MAX, arenas)


def release_free_memory(*, collect: bool = True) -> None:
    if collect:
        gc.collect()
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is None:
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)


def settle_after_startup(*, freeze: bool) -> None:
    """Serving workers (`freeze`): everything alive moved out of the collector's way for good,
    without a collection first (the served app's start-up leaves ~20 unreachable objects of
    ~230,000, and a full collection costs ~0.1 s); otherwise one collection. Then the freed heap
    is trimmed."""
    if freeze:
        gc.freeze()
    release_free_memory(collect=not freeze)
