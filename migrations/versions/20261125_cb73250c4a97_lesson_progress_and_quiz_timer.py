"""lesson progress and quiz timer

Lessons read per enrolment; an optional quiz time limit (NULL: no timer, so existing quizzes keep none);
the deadline fixed when a timed attempt starts. Only new tables and a nullable column: no data to convert.

Revision ID: cb73250c4a97
Revises: 9b90b97b916c
Create Date: 2026-11-25 01:48:12.584089
"""

from alembic import op
import sqlalchemy as sa
import lms.db


revision = 'cb73250c4a97'
down_revision = '9b90b97b916c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lms_lesson_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('read_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['lms_enrolment.id'], name=op.f('fk_lms_lesson_progress_enrolment_id_lms_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lms_lesson.id'], name=op.f('fk_lms_lesson_progress_lesson_id_lms_lesson'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_lesson_progress')),
    sa.UniqueConstraint('enrolment_id', 'lesson_id', name='uq_lms_lesson_progress_enrolment_lesson')
    )
    with op.batch_alter_table('lms_lesson_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_lesson_progress_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lms_lesson_progress_lesson_id'), ['lesson_id'], unique=False)

    op.create_table('lms_attempt_deadline',
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('time_limit_minutes', sa.Integer(), nullable=False),
    sa.Column('deadline_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('timed_out', sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.ForeignKeyConstraint(['attempt_id'], ['lms_attempt.id'], name=op.f('fk_lms_attempt_deadline_attempt_id_lms_attempt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attempt_id', name=op.f('pk_lms_attempt_deadline'))
    )

    with op.batch_alter_table('lms_quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_limit_minutes', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('lms_quiz', schema=None) as batch_op:
        batch_op.drop_column('time_limit_minutes')

    op.drop_table('lms_attempt_deadline')
    with op.batch_alter_table('lms_lesson_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_lesson_progress_lesson_id'))
        batch_op.drop_index(batch_op.f('ix_lms_lesson_progress_enrolment_id'))

    op.drop_table('lms_lesson_progress')
