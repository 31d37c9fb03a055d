"""The store's tables, in SQLAlchemy Core. The migrations under checker/store/migrations create exactly these.

Dates are ``YYYY-MM-DD`` text (sorted as text, the same on SQLite and PostgreSQL); values, lists and small
records are JSON text. One row per run (the reviewer's inputs), one per dossier checked in it, one per rule's
outcome for that dossier, one per waiver that concerned it.
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text, UniqueConstraint,
)

metadata = MetaData()

# The marker that tells a renovcheck store from any other database (a foreign Alembic database has
# alembic_version too); one row: ("format", "renovcheck-store").
store_info = Table(
    "renovcheck_store", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

run = Table(
    "run", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_uuid", String(36), nullable=False),  # identity across stores: export/import never duplicates a run
    Column("recorded_at", String(32), nullable=False),  # UTC, ISO 8601; never shown in history or portfolio
    Column("as_of", String(10), nullable=False),
    Column("as_of_source", String(10), nullable=False),
    Column("tool_version", String(40), nullable=False),
    Column("rulebook_version", String(40), nullable=False),
    Column("rulebook_sha256", String(64), nullable=False),
    Column("profile_name", Text, nullable=False),
    Column("profile_sha256", String(64)),  # None: the guide as written (no profile file)
    Column("parameters", Text, nullable=False),  # JSON: every parameter's value in force
    Column("fail_on", String(10), nullable=False),
    Column("waivers_file", Text),
    Column("waivers_sha256", String(64)),
    Column("evidence_verified", Boolean, nullable=False),
    Column("selection", Text),  # JSON: the rules checked when --select/--ignore were given; None: every rule
    UniqueConstraint("run_uuid", name="uq_run_uuid"),
)

dossier_run = Table(
    "dossier_run", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("run.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),  # position in the run's batch
    Column("as_of", String(10), nullable=False),  # the run's, repeated: every question is asked per date
    Column("file", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("project_id", Text, nullable=False),
    Column("project_name", Text, nullable=False),
    Column("district", Text),
    Column("phase", String(20)),
    Column("construction_end", String(10)),
    Column("evaluation_due", String(10)),  # construction_end + evaluation_due_days in force in the run
    Column("mode_declared", String(40)),
    Column("mode_recommended", String(40)),  # the first of the ranking, when recommended or permitted
    Column("modes_fitting", Text),  # JSON list: the modes that fit (renovcheck recommend)
    Column("satisfaction_rate", Float),
    Column("facility_use_rate", Float),
    Column("evaluation", Text, nullable=False),  # JSON: what the fiscal performance evaluation reads
    UniqueConstraint("run_id", "seq", name="uq_dossier_run_seq"),
)
Index("ix_dossier_run_project", dossier_run.c.project_id, dossier_run.c.as_of)
# the trends read these columns of every check up to a date: the index alone answers
Index("ix_dossier_run_as_of", dossier_run.c.as_of, dossier_run.c.district, dossier_run.c.satisfaction_rate,
      dossier_run.c.facility_use_rate)

outcome = Table(
    "outcome", metadata,
    Column("dossier_run_id", Integer, ForeignKey("dossier_run.id", ondelete="CASCADE"), primary_key=True),
    Column("rule_id", String(20), primary_key=True),
    Column("dimension", String(20), nullable=False),
    Column("force", String(10), nullable=False),  # in force in the run (a profile may change it)
    Column("outcome", String(20), nullable=False),
    Column("path", Text, nullable=False),  # the field that decided it
    Column("field_values", Text),  # JSON {path: value} the explanation names; None when it names none
    Column("missing", Text),  # JSON list of absent paths; None when none
    sqlite_with_rowid=False,  # rows kept in key order: a dossier's outcomes sit together, one B-tree fewer to write
)
# the gaps, which every question counts, answered from the index alone without reading the passes
Index("ix_outcome_gap", outcome.c.dossier_run_id, outcome.c.force, outcome.c.rule_id, outcome.c.dimension,
      sqlite_where=outcome.c.outcome.in_(("fail", "missing")),
      postgresql_where=outcome.c.outcome.in_(("fail", "missing")))

waiver = Table(
    "waiver", metadata,
    Column("dossier_run_id", Integer, ForeignKey("dossier_run.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("rule_id", String(20), nullable=False),
    Column("status", String(20), nullable=False),  # applied, expired, requested, …
    Column("source", String(10), nullable=False),  # reviewer: the --waivers file; dossier: a request
    Column("approved_by", Text),
    Column("approved_on", String(10)),
    Column("expires", String(10)),
    Column("reason", Text),
)
