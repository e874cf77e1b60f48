"""staff_user.last_class_id: a teacher's sign-in lands on the class they last opened

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 09:00:00
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_class_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('last_class_id')
