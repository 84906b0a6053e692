"""users indexed by name: the completion report's first page at a million rows reads people in name order

Revision ID: a7c3e9d41f20
Revises: 5e1f0c2a9b31
Create Date: 2026-12-03 14:10:00
"""

from alembic import op

revision = "a7c3e9d41f20"
down_revision = "5e1f0c2a9b31"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f("ix_lms_user_name"), "lms_user", ["name"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_lms_user_name"), table_name="lms_user")
