"""The weekly letter to parents (issue 16.2, R20): settings, recipients, words, SMTP, runs."""
