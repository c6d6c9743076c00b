"""The news room: articles, the communes each is for, and their photos.

The models are frozen copies, independent of `webapp.news.models`.
"""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField

TABLES = ("article_commune", "article", "article_photo")


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Commune(Base):
        class Meta:
            table_name = "commune"

    class StaffUser(Base):
        class Meta:
            table_name = "staff_user"

    class ArticlePhoto(Base):
        storage_name = CharField(unique=True)
        media_type = CharField()
        size = IntegerField()
        width = IntegerField(null=True)
        height = IntegerField(null=True)
        sha256 = CharField()
        created_at = DateTimeField()

    class Article(Base):
        slug = CharField(unique=True)
        form_key = CharField(unique=True)
        title = CharField()
        summary = TextField()
        body = TextField()
        topic = CharField(index=True)
        audience = CharField()
        hamlet = CharField(default="")
        photo = ForeignKeyField(ArticlePhoto, null=True, on_delete="SET NULL")
        photo_alt = CharField(default="")
        published_at = DateTimeField(null=True, index=True)
        corrected_at = DateTimeField(null=True)
        text_version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        created_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
        updated_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")

    class ArticleCommune(Base):
        article = ForeignKeyField(Article, on_delete="CASCADE")
        commune = ForeignKeyField(Commune, on_delete="CASCADE")

        class Meta:
            indexes = ((("article", "commune"), True), (("commune", "article"), False))

    db.create_tables([ArticlePhoto, Article, ArticleCommune], safe=False)


def down(migrator, db):
    for table in TABLES:
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
