"""Patients, complainants and representatives, their communication needs, and consent for third parties."""
