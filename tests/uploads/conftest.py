"""The back office's fixtures (dossiers made in the database, a signed-in officer), reused to
test how stored files are served and swept."""

from tests.backoffice.conftest import commune, in_app, officer  # noqa: F401
