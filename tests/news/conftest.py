"""The back office's fixtures for preparing data, shared here."""

from tests.backoffice.conftest import in_app  # noqa: F401
