"""Teamline: a self-hosted business phone system and team messenger."""

__version__ = "0.1.0"
