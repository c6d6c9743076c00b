"""STAND-IN tables of the accounts branch; reverted before merging it."""


def up(migrator, db):
    from webapp.accounts.models import Citizen, StaffCommune, StaffUser
    from webapp.audit.log import AuditEntry

    models = [Citizen, StaffUser, StaffCommune, AuditEntry]
    with db.bind_ctx(models):
        db.create_tables(models)


def down(migrator, db):
    pass
