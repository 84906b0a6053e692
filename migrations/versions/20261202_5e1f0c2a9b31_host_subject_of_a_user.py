"""host subject of a user: the stable id a host application gives the people it signs in

Revision ID: 5e1f0c2a9b31
Revises: d2ccea713087
Create Date: 2026-12-02 19:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5e1f0c2a9b31"
down_revision = "d2ccea713087"
branch_labels = None
depends_on = None


# A plain ADD/DROP COLUMN and a unique index, not a batch table copy: on SQLite (foreign keys on) copying
# lms_user would have to drop a table every other table refers to.


def upgrade():
    op.add_column("lms_user", sa.Column("host_subject", sa.String(length=200), nullable=True))
    op.create_index(op.f("ix_lms_user_host_subject"), "lms_user", ["host_subject"], unique=True)


def downgrade():
    op.drop_index(op.f("ix_lms_user_host_subject"), table_name="lms_user")
    op.drop_column("lms_user", "host_subject")
