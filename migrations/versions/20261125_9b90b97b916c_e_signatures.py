"""e-signatures

Acknowledgements become Part 11 signature records (kind, attempt, subject, printed name); users get a time
zone and signing-lockout fields. Existing acknowledgements become "revision" signatures with the signer's
current name as printed name; existing users get UTC and no failures.

Revision ID: 9b90b97b916c
Revises: f8012e16d5f7
Create Date: 2026-11-25 01:47:57.477878
"""

from alembic import op
import sqlalchemy as sa
import lms.db


revision = '9b90b97b916c'
down_revision = 'f8012e16d5f7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lms_acknowledgement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='revision'))
        batch_op.add_column(sa.Column('attempt_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('subject', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('printed_name', sa.String(length=200), nullable=False, server_default=''))

    # existing rows: one "revision" signature each, named after the signer as they are called now
    op.execute(
        "UPDATE lms_acknowledgement SET subject = 'revision:' || CAST(revision_id AS VARCHAR(20)), "
        "printed_name = COALESCE((SELECT name FROM lms_user WHERE lms_user.id = lms_acknowledgement.user_id), '')"
    )

    with op.batch_alter_table('lms_acknowledgement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_acknowledgement_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_unique_constraint('uq_lms_acknowledgement_user_subject', ['user_id', 'subject'])
        batch_op.create_foreign_key(batch_op.f('fk_lms_acknowledgement_attempt_id_lms_attempt'), 'lms_attempt', ['attempt_id'], ['id'])

    with op.batch_alter_table('lms_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=False, server_default='UTC'))
        batch_op.add_column(sa.Column('signing_failures', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('signing_locked_until', lms.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('lms_user', schema=None) as batch_op:
        batch_op.drop_column('signing_locked_until')
        batch_op.drop_column('signing_failures')
        batch_op.drop_column('timezone')

    with op.batch_alter_table('lms_acknowledgement', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lms_acknowledgement_attempt_id_lms_attempt'), type_='foreignkey')
        batch_op.drop_constraint('uq_lms_acknowledgement_user_subject', type_='unique')
        batch_op.drop_index(batch_op.f('ix_lms_acknowledgement_attempt_id'))
        batch_op.drop_column('printed_name')
        batch_op.drop_column('subject')
        batch_op.drop_column('attempt_id')
        batch_op.drop_column('kind')
