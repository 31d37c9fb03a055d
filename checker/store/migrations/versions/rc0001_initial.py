"""The first store: runs, dossiers checked in them, every rule's outcome, waivers.

Revision ID: rc0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rc0001"
down_revision = None
branch_labels = None
depends_on = None

GAPS = sa.text("outcome IN ('fail', 'missing')")


def upgrade() -> None:
    op.create_table(
        "renovcheck_store",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "run",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_uuid", sa.String(36), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("as_of_source", sa.String(10), nullable=False),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("rulebook_version", sa.String(40), nullable=False),
        sa.Column("rulebook_sha256", sa.String(64), nullable=False),
        sa.Column("profile_name", sa.Text, nullable=False),
        sa.Column("profile_sha256", sa.String(64)),
        sa.Column("parameters", sa.Text, nullable=False),
        sa.Column("fail_on", sa.String(10), nullable=False),
        sa.Column("waivers_file", sa.Text),
        sa.Column("waivers_sha256", sa.String(64)),
        sa.Column("evidence_verified", sa.Boolean, nullable=False),
        sa.Column("selection", sa.Text),
        sa.UniqueConstraint("run_uuid", name="uq_run_uuid"),
    )
    op.create_table(
        "dossier_run",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("run.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("project_id", sa.Text, nullable=False),
        sa.Column("project_name", sa.Text, nullable=False),
        sa.Column("district", sa.Text),
        sa.Column("phase", sa.String(20)),
        sa.Column("construction_end", sa.String(10)),
        sa.Column("evaluation_due", sa.String(10)),
        sa.Column("mode_declared", sa.String(40)),
        sa.Column("mode_recommended", sa.String(40)),
        sa.Column("modes_fitting", sa.Text),
        sa.Column("satisfaction_rate", sa.Float),
        sa.Column("facility_use_rate", sa.Float),
        sa.Column("evaluation", sa.Text, nullable=False),
        sa.UniqueConstraint("run_id", "seq", name="uq_dossier_run_seq"),
    )
    op.create_index("ix_dossier_run_project", "dossier_run", ["project_id", "as_of"])
    op.create_index("ix_dossier_run_as_of", "dossier_run",
                    ["as_of", "district", "satisfaction_rate", "facility_use_rate"])
    op.create_table(
        "outcome",
        sa.Column("dossier_run_id", sa.Integer, sa.ForeignKey("dossier_run.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("rule_id", sa.String(20), primary_key=True),
        sa.Column("dimension", sa.String(20), nullable=False),
        sa.Column("force", sa.String(10), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("field_values", sa.Text),
        sa.Column("missing", sa.Text),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_outcome_gap", "outcome", ["dossier_run_id", "force", "rule_id", "dimension"],
                    sqlite_where=GAPS, postgresql_where=GAPS)
    op.create_table(
        "waiver",
        sa.Column("dossier_run_id", sa.Integer, sa.ForeignKey("dossier_run.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("rule_id", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("approved_by", sa.Text),
        sa.Column("approved_on", sa.String(10)),
        sa.Column("expires", sa.String(10)),
        sa.Column("reason", sa.Text),
    )
    op.bulk_insert(sa.table("renovcheck_store", sa.column("key"), sa.column("value")),
                   [{"key": "format", "value": "renovcheck-store"}])


def downgrade() -> None:
    for name in ("waiver", "outcome", "dossier_run", "run", "renovcheck_store"):
        op.drop_table(name)
