"""STAND-IN tables of the accounts and notifications branches; reverted before merging them."""


def up(migrator, db):
    from webapp.accounts.models import Citizen, StaffCommune, StaffUser
    from webapp.audit.log import AuditEntry
    from webapp.notifications.outbox import OutboxMessage

    models = [Citizen, StaffUser, StaffCommune, AuditEntry, OutboxMessage]
    with db.bind_ctx(models):
        db.create_tables(models)


def down(migrator, db):
    pass
