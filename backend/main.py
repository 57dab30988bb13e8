"""ASGI entry point: `uvicorn backend.main:app`."""

from backend.core.memory import collector_paused, limit_malloc_arenas

limit_malloc_arenas()  # before any thread starts (core/memory.py)
with collector_paused():  # importing the app builds only long-lived objects (core/memory.py)
    from backend.app import create_app

    app = create_app(freeze_after_startup=True)
