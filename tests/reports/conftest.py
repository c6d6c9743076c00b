"""Fixtures of the reports tests."""

from tests.backoffice.conftest import commune, in_app  # noqa: F401
