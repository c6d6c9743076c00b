"""The news room's "Nghe đọc": the spoken version of each version of an article's or a
procedure's text.

The model is a frozen copy, independent of `webapp.news.models`.
"""
from peewee import CharField, DateTimeField, IntegerField, Model, TextField


def up(migrator, db):
    class SpeechAudio(Model):
        kind = CharField()
        ref = CharField()
        version = CharField()
        status = CharField(default="making")
        webm_name = CharField(default="")
        mp3_name = CharField(default="")
        duration_ms = IntegerField(default=0)
        characters = IntegerField(default=0)
        cpu_ms = IntegerField(default=0)
        error = TextField(default="")
        started_at = DateTimeField()
        made_at = DateTimeField(null=True)

        class Meta:
            database = db
            legacy_table_names = False
            indexes = ((("kind", "ref", "version"), True),)

    db.create_tables([SpeechAudio], safe=False)


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS speech_audio")
