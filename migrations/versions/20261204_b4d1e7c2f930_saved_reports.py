"""saved report definitions: a compliance officer's filters kept under a name

Revision ID: b4d1e7c2f930
Revises: a7c3e9d41f20
Create Date: 2026-12-04 19:05:00
"""

import sqlalchemy as sa
from alembic import op

from lms.db import UTCDateTime

revision = "b4d1e7c2f930"
down_revision = "a7c3e9d41f20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lms_saved_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("report", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["lms_user.id"], name=op.f("fk_lms_saved_report_created_by_id_lms_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lms_saved_report")),
        sa.UniqueConstraint("name", name=op.f("uq_lms_saved_report_name")),
    )


def downgrade():
    op.drop_table("lms_saved_report")
