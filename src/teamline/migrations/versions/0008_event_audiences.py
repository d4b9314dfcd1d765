"""events: each fact once, under one id sequence, to an audience (a stored set of users)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

The log held one row per recipient under per-user ids: a message to a group of 100 was 100
rows, each on its own page of the (user, id) key, most of what a send wrote. Now a fact is
one row that names its audience; ``event_log`` holds the last id and how far the log was
pruned. The old events are dropped: the new ids start above every old per-user id, with
everything up to there counted as pruned, so a client resuming with an old id gets
``events.gap`` and reloads.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import teamline.core.db

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    start = op.get_bind().scalar(sa.text("SELECT coalesce(max(last_id), 0) FROM event_cursors"))
    op.drop_table("events")
    op.drop_table("event_cursors")
    log = op.create_table(
        "event_log",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("pruned_through", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_log")),
    )
    op.bulk_insert(log, [{"id": 1, "last_id": start, "pruned_through": start}])
    op.create_table(
        "event_audiences",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("created_at", teamline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_audiences")),
        sa.UniqueConstraint("key", name=op.f("uq_event_audiences_key")),
    )
    op.create_table(
        "event_audience_members",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("audience_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audience_id"],
            ["event_audiences.id"],
            name=op.f("fk_event_audience_members_audience_id_event_audiences"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_event_audience_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "audience_id", name=op.f("pk_event_audience_members")),
    )
    op.create_table(
        "events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("audience_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", teamline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["audience_id"],
            ["event_audiences.id"],
            name=op.f("fk_events_audience_id_event_audiences"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index("ix_events_audience_id_id", "events", ["audience_id", "id"], unique=False)


def downgrade() -> None:
    last = op.get_bind().scalar(sa.text("SELECT last_id FROM event_log WHERE id = 1")) or 0
    op.drop_index("ix_events_audience_id_id", table_name="events")
    op.drop_table("events")
    op.drop_table("event_audience_members")
    op.drop_table("event_audiences")
    op.drop_table("event_log")
    op.create_table(
        "event_cursors",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_event_cursors_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_event_cursors")),
    )
    op.create_table(
        "events",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", teamline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_events_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "id", name=op.f("pk_events")),
    )
    op.create_index("ix_events_created_at", "events", ["created_at"], unique=False)
    # Every user resumes after the last id (their clients' older ids get events.gap).
    op.execute(
        sa.text(
            "INSERT INTO event_cursors (user_id, last_id) SELECT id, :last FROM users"
        ).bindparams(last=last)
    )
