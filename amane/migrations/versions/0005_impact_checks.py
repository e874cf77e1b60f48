"""before-and-after checks per class

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 09:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('impact_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pupil_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('band', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('finished_on', sa.Date(), nullable=True),
    sa.CheckConstraint("phase IN ('before', 'after')", name='ck_impact_check_phase'),
    sa.ForeignKeyConstraint(['class_id'], ['school_class.id'], ),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupil.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pupil_id', 'phase', name='uq_impact_check_pupil_phase')
    )
    with op.batch_alter_table('impact_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impact_check_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_impact_check_pupil_id'), ['pupil_id'], unique=False)

    op.create_table('impact_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('question_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['check_id'], ['impact_check.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('check_id', 'lesson_id', 'question_id', name='uq_impact_answer_item')
    )
    with op.batch_alter_table('impact_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impact_answer_check_id'), ['check_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('impact_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impact_answer_check_id'))
    op.drop_table('impact_answer')

    with op.batch_alter_table('impact_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impact_check_pupil_id'))
        batch_op.drop_index(batch_op.f('ix_impact_check_class_id'))
    op.drop_table('impact_check')
