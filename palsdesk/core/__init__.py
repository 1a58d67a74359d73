"""Shared base models, errors and template tags: small, never a dumping ground."""
