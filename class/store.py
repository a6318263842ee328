"""The class service's storage: submissions (every one, with its time and result) and deadlines.

SQLite by default (a file in the service's state folder); any SQLAlchemy URL works, e.g.
``postgresql+psycopg://class:PW@db/class`` for a large class. The service creates the schema and
migrates it forward on start (:data:`MIGRATIONS`, one function per schema version; the version is
kept in the ``class_meta`` table). Nothing is ever updated in place or deleted: a new submission is
a new row, and "the learner's grade" is the newest row.
"""

import datetime
import json

from sqlalchemy import (Column, DateTime, Float, Integer, MetaData, String, Table, Text, create_engine,
                        event, func, inspect, select, text)

__all__ = ["Store", "SCHEMA_VERSION", "utcnow"]

meta = MetaData()
class_meta = Table("class_meta", meta, Column("key", String(64), primary_key=True),
                   Column("value", String(256), nullable=False))
submissions = Table(
    "submissions", meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner", String(64), nullable=False, index=True),
    Column("lab", String(16), nullable=False, index=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("score", Float), Column("max_score", Float),
    Column("reason", Text, nullable=False, default=""),
    Column("report", Text),            # the grader's report dict (JSON), hidden checks included
    Column("document", Text, nullable=False),  # the submission as received (JSON)
    Column("grade_ms", Float),         # schema version 2
    Column("notes", Text),             # schema version 3: what the grader noticed (JSON, NOTES)
)
deadlines = Table("deadlines", meta, Column("lab", String(16), primary_key=True),
                  Column("due_at", DateTime(timezone=True), nullable=True),
                  Column("set_by", String(64), nullable=False),
                  Column("set_at", DateTime(timezone=True), nullable=False))


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def _v1(conn):
    """Version 1: submissions (without timing) and deadlines."""
    for table in (class_meta, deadlines):
        table.create(conn, checkfirst=True)
    if not inspect(conn).has_table("submissions"):
        conn.execute(text(
            "CREATE TABLE submissions (id INTEGER PRIMARY KEY AUTOINCREMENT, learner VARCHAR(64) "
            "NOT NULL, lab VARCHAR(16) NOT NULL, received_at TIMESTAMP NOT NULL, size_bytes "
            "INTEGER NOT NULL, status VARCHAR(16) NOT NULL, score FLOAT, max_score FLOAT, reason "
            "TEXT NOT NULL, report TEXT, document TEXT NOT NULL)"
            if conn.dialect.name == "sqlite" else
            "CREATE TABLE submissions (id SERIAL PRIMARY KEY, learner VARCHAR(64) NOT NULL, lab "
            "VARCHAR(16) NOT NULL, received_at TIMESTAMP WITH TIME ZONE NOT NULL, size_bytes "
            "INTEGER NOT NULL, status VARCHAR(16) NOT NULL, score FLOAT, max_score FLOAT, reason "
            "TEXT NOT NULL, report TEXT, document TEXT NOT NULL)"))
        conn.execute(text("CREATE INDEX ix_submissions_learner ON submissions (learner)"))
        conn.execute(text("CREATE INDEX ix_submissions_lab ON submissions (lab)"))


def _v2(conn):
    """Version 2: how long grading took (for the dashboard and the benchmark)."""
    conn.execute(text("ALTER TABLE submissions ADD COLUMN grade_ms FLOAT"))


def _v3(conn):
    """Version 3: the grader's notes, so the class CSV flags what ``vmotion-grade`` flags."""
    conn.execute(text("ALTER TABLE submissions ADD COLUMN notes TEXT"))


#: what the grader reports beside the grade, kept per submission: flags for the instructor, and
#: what :func:`~vmotion_labs.grading.batch.flag_shared_work` compares across the class
NOTES = ("flags", "ops_digest", "operations", "file_learner")

MIGRATIONS = (_v1, _v2, _v3)
SCHEMA_VERSION = len(MIGRATIONS)


def _aware(dt):
    """SQLite hands back naive datetimes; every time here is UTC."""
    return dt if dt is None or dt.tzinfo else dt.replace(tzinfo=datetime.timezone.utc)


class Store:
    """Submissions and deadlines behind one SQLAlchemy engine."""

    def __init__(self, url):
        self.engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_conn, _):  # several readers while one grader writes
                dbapi_conn.execute("PRAGMA journal_mode=WAL")
                dbapi_conn.execute("PRAGMA busy_timeout=5000")
        self.version_before = self.migrate()

    def schema_version(self, conn):
        if not inspect(conn).has_table("class_meta"):
            return 0
        row = conn.execute(select(class_meta.c.value).where(class_meta.c.key == "schema")).first()
        return int(row[0]) if row else 0

    def migrate(self):
        """Bring the schema to :data:`SCHEMA_VERSION`; return the version found."""
        with self.engine.begin() as conn:
            found = self.schema_version(conn)
            if found > SCHEMA_VERSION:
                raise RuntimeError(f"the class database has schema version {found}; this service "
                                   f"knows up to {SCHEMA_VERSION} (update the courseware)")
            for step in MIGRATIONS[found:]:
                step(conn)
            if found < SCHEMA_VERSION:
                conn.execute(class_meta.delete().where(class_meta.c.key == "schema"))
                conn.execute(class_meta.insert().values(key="schema", value=str(SCHEMA_VERSION)))
        return found

    # -- submissions ---------------------------------------------------------------------------
    def add(self, learner, lab, document, size_bytes, result, grade_ms, received_at=None):
        row = {"learner": learner, "lab": lab, "received_at": received_at or utcnow(),
               "size_bytes": size_bytes, "status": result["status"],
               "reason": result.get("reason") or "", "document": document, "grade_ms": grade_ms,
               "notes": json.dumps({k: result.get(k) for k in NOTES})}
        rep = result.get("report")
        if rep:
            row.update(score=float(rep["score"]), max_score=float(rep["max_score"]),
                       report=json.dumps(rep))
        with self.engine.begin() as conn:
            return conn.execute(submissions.insert().values(**row)).inserted_primary_key[0]

    def history(self, learner, lab=None):
        """Every submission of ``learner`` (optionally one lab), newest first."""
        q = select(submissions).where(submissions.c.learner == learner)
        if lab:
            q = q.where(submissions.c.lab == lab)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(submissions.c.id.desc())).mappings().all()
        return [self._row(r) for r in rows]

    def latest(self, lab=None):
        """The newest submission per (learner, lab)."""
        newest = select(func.max(submissions.c.id).label("id")).group_by(
            submissions.c.learner, submissions.c.lab)
        if lab:
            newest = newest.where(submissions.c.lab == lab)
        ids = newest.subquery()
        q = select(submissions).join(ids, submissions.c.id == ids.c.id)
        with self.engine.connect() as conn:
            return [self._row(r) for r in conn.execute(q).mappings().all()]

    def counts(self):
        """``{(learner, lab): number of submissions}``."""
        q = select(submissions.c.learner, submissions.c.lab, func.count()).group_by(
            submissions.c.learner, submissions.c.lab)
        with self.engine.connect() as conn:
            return {(a, b): n for a, b, n in conn.execute(q).all()}

    @staticmethod
    def _row(r):
        d = dict(r)
        d["received_at"] = _aware(d["received_at"])
        d["report"] = json.loads(d["report"]) if d["report"] else None
        notes = json.loads(d.pop("notes") or "{}")  # rows from before version 3 have none
        d.update({k: notes.get(k) for k in NOTES})
        d["flags"] = list(d["flags"] or ())
        return d

    # -- deadlines -----------------------------------------------------------------------------
    def deadlines(self):
        with self.engine.connect() as conn:
            return {r.lab: _aware(r.due_at) for r in conn.execute(select(deadlines))}

    def set_deadline(self, lab, due_at, by):
        with self.engine.begin() as conn:
            conn.execute(deadlines.delete().where(deadlines.c.lab == lab))
            conn.execute(deadlines.insert().values(lab=lab, due_at=due_at, set_by=by,
                                                   set_at=utcnow()))
