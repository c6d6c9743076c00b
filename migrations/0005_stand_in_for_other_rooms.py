"""STAND-IN tables of the accounts and dossiers branches; reverted on merge."""


def up(migrator, db):
    from webapp.accounts.models import Citizen, StaffCommune, StaffUser
    from webapp.audit.log import AuditEntry
    from webapp.dossiers.models import Attachment, Dossier, DossierEvent

    models = [Citizen, StaffUser, StaffCommune, AuditEntry, Dossier,
              DossierEvent, Attachment]
    with db.bind_ctx(models):
        db.create_tables(models)


def down(migrator, db):
    pass
