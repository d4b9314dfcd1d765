"""Benchmarks of a real Teamline node: ``python -m bench`` (``make bench``) runs them all.

Each benchmark starts ``teamline serve`` as a subprocess on a loopback port with a temporary
data directory, drives it through the SDK, prints a table and stops the process again.
"""
