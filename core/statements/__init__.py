"""Attestation statements (ведомости, R6): opening, filling, closing, the examiner."""
