"""Hand memory freed during start-up back to the system.

Loading the bot's index builds large arrays from large temporary buffers; glibc keeps the freed
space in the heap (~10 MB per worker) unless asked to return it. Elsewhere (not glibc) this does
nothing."""

from __future__ import annotations

import ctypes
import gc


def release_free_memory() -> None:
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library the interpreter runs on
    except (OSError, AttributeError):
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
