"""anonymous class climate pulse

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 09:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('class_pulse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('open_class_id', sa.Integer(), nullable=True),
    sa.Column('band', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['school_class.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('open_class_id', name='uq_class_pulse_open_class_id')
    )
    with op.batch_alter_table('class_pulse', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_pulse_class_id'), ['class_id'], unique=False)

    op.create_table('pulse_count',
    sa.Column('pulse_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('choice_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pulse_id'], ['class_pulse.id'], ),
    sa.PrimaryKeyConstraint('pulse_id', 'question_id', 'choice_id')
    )
    op.create_table('pulse_marker',
    sa.Column('pulse_id', sa.Integer(), nullable=False),
    sa.Column('marker', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['pulse_id'], ['class_pulse.id'], ),
    sa.PrimaryKeyConstraint('pulse_id', 'marker')
    )


def downgrade() -> None:
    op.drop_table('pulse_marker')
    op.drop_table('pulse_count')
    with op.batch_alter_table('class_pulse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_pulse_class_id'))

    op.drop_table('class_pulse')
