"""Attestation statements (ведомости, R6): fill and close."""
