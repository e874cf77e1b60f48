"""staff training course: module progress and confidence ratings

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 09:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

DATETIME = sqlmodel.sql.sqltypes.UTCDateTime()


def upgrade() -> None:
    op.create_table('staff_training',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('confidence_before', sa.Integer(), nullable=False),
    sa.Column('confidence_after', sa.Integer(), nullable=True),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('furthest_step', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('check_score', sa.Integer(), nullable=True),
    sa.Column('check_max', sa.Integer(), nullable=True),
    sa.Column('started_at', DATETIME, nullable=False),
    sa.Column('completed_at', DATETIME, nullable=True),
    sa.Column('updated_at', DATETIME, nullable=False),
    sa.CheckConstraint('confidence_before BETWEEN 1 AND 5', name='ck_staff_training_before'),
    sa.CheckConstraint(
        'confidence_after IS NULL OR confidence_after BETWEEN 1 AND 5', name='ck_staff_training_after'
    ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('staff_id', 'module_id')
    )
    with op.batch_alter_table('staff_training', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_training_staff_id'), ['staff_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('staff_training', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_training_staff_id'))

    op.drop_table('staff_training')
