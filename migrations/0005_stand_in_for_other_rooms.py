"""STAND-IN tables of the dossiers branch; reverted on merge."""


def up(migrator, db):
    from webapp.dossiers.models import Attachment, Dossier, DossierEvent

    models = [Dossier, DossierEvent, Attachment]
    with db.bind_ctx(models):
        db.create_tables(models)


def down(migrator, db):
    pass
