"""STAND-IN tables of the accounts, notifications and dossiers branches; reverted on merge."""


def up(migrator, db):
    from webapp.accounts.models import Citizen, StaffCommune, StaffUser
    from webapp.audit.log import AuditEntry
    from webapp.dossiers.models import Attachment, Dossier, DossierEvent
    from webapp.notifications.outbox import OutboxMessage

    models = [Citizen, StaffUser, StaffCommune, AuditEntry, OutboxMessage, Dossier,
              DossierEvent, Attachment]
    with db.bind_ctx(models):
        db.create_tables(models)


def down(migrator, db):
    pass
