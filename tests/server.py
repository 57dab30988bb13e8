"""Re-export of the loopback server helper for tests."""

from backend.core.serving import RunningApp, serve_in_thread

__all__ = ["RunningApp", "serve_in_thread"]
