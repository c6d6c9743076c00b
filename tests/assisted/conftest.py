"""Fixtures of the assisted-mode tests."""

from tests.backoffice.conftest import in_app  # noqa: F401
