"""search: documents, full-text indexes per database, recent searches

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import teamline.core.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    rowid = sa.Integer() if sqlite else sa.BigInteger()
    op.create_table(
        "search_documents",
        sa.Column("rowid", rowid, autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("ref_id", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("subtitle", sa.String(length=300), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("digits", sa.Text(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("updated_at", teamline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("rowid", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("source", "ref_id", name="uq_search_documents_ref"),
    )
    op.create_table(
        "search_recent",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("at", teamline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_search_recent_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "query", name=op.f("pk_search_recent")),
    )
    if sqlite:
        # External-content FTS5 tables; rows are maintained by teamline.search.index.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(words, scope, "
            "content='search_documents', content_rowid='rowid', prefix='1 2 3', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        # Chat messages apart, so the small sources' prefix lookups stay small.
        op.execute(
            "CREATE VIRTUAL TABLE search_chat_fts USING fts5(words, scope, "
            "content='search_documents', content_rowid='rowid', prefix='1 2 3', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE VIRTUAL TABLE search_digits USING fts5(digits, "
            "content='search_documents', content_rowid='rowid', tokenize='trigram')"
        )
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("ALTER TABLE search_documents ADD COLUMN tsv tsvector")
        op.execute("CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)")
        op.execute(
            "CREATE INDEX ix_search_documents_digits ON search_documents "
            "USING gin (digits gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_digits")
        op.execute("DROP TABLE search_chat_fts")
        op.execute("DROP TABLE search_fts")
    op.drop_table("search_recent")
    op.drop_table("search_documents")
