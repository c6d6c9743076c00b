"""Fixtures of the mandates tests: a volunteer's mandates, asked and given in the database."""

from tests.backoffice.conftest import in_app  # noqa: F401
