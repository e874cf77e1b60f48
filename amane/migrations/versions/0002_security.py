"""security: server-side staff sessions, sign-in throttles, pupil locks that expire, one school

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 06:16:54.100025
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

DATETIME = sqlmodel.sql.sqltypes.UTCDateTime()


def upgrade() -> None:
    op.create_table('sign_in_throttle',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', DATETIME, nullable=False),
    sa.Column('blocked_until', DATETIME, nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('staff_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('created_at', DATETIME, nullable=False),
    sa.Column('last_seen_at', DATETIME, nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_session_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_session_token_hash'), ['token_hash'], unique=True)

    # A pupil locked by the old rule (until the teacher unlocks) is unlocked: locks now expire.
    with op.batch_alter_table('pupil', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', DATETIME, nullable=True))
        batch_op.drop_column('locked')

    # Fails, on purpose, where two schools were already set up: an operator must merge them first.
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(sa.Column('one_school', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_unique_constraint('uq_school_one_school', ['one_school'])
        batch_op.create_check_constraint('ck_school_one_school', 'one_school = 1')

    # Staff lockouts move to sign_in_throttle (keyed by the username typed, known or not).
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')


def downgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', DATETIME, nullable=True))

    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_constraint('ck_school_one_school', type_='check')
        batch_op.drop_constraint('uq_school_one_school', type_='unique')
        batch_op.drop_column('one_school')

    with op.batch_alter_table('pupil', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_column('locked_until')

    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_session_token_hash'))
        batch_op.drop_index(batch_op.f('ix_staff_session_staff_id'))

    op.drop_table('staff_session')
    op.drop_table('sign_in_throttle')
