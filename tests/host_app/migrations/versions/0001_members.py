"""The host's first table: its members."""

import sqlalchemy as sa
from alembic import op

revision = "host0001"
down_revision = None


def upgrade():
    op.create_table(
        "member",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("staff", sa.Boolean, nullable=False),
    )


def downgrade():
    op.drop_table("member")
