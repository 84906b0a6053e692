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


def upgrade():
    with op.batch_alter_table("lms_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("host_subject", sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_lms_user_host_subject"), ["host_subject"])


def downgrade():
    with op.batch_alter_table("lms_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_lms_user_host_subject"), type_="unique")
        batch_op.drop_column("host_subject")
