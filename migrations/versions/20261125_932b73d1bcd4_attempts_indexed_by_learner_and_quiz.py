"""attempts indexed by learner and quiz

"Is this the learner's first attempt at the quiz?" is asked of every attempt by the first-attempt
statistics (pass rates, score bands, item analysis). An index on (user_id, quiz_id) answers it with one
lookup; it also serves every lookup by user_id alone, so it replaces that index.

Revision ID: 932b73d1bcd4
Revises: 591408bea4f9
Create Date: 2026-11-25 06:41:53.233497
"""

from alembic import op


revision = '932b73d1bcd4'
down_revision = '591408bea4f9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_lms_attempt_user_id_quiz_id', 'lms_attempt', ['user_id', 'quiz_id'], unique=False)
    op.drop_index('ix_lms_attempt_user_id', table_name='lms_attempt')


def downgrade():
    op.create_index('ix_lms_attempt_user_id', 'lms_attempt', ['user_id'], unique=False)
    op.drop_index('ix_lms_attempt_user_id_quiz_id', table_name='lms_attempt')
