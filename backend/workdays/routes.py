"""The working-day calendar's part of the app: a service other domains count deadlines with;
its console page edits the exceptions."""

from backend.core.domain import Domain

DOMAIN = Domain(name="workdays")
