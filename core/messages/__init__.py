"""Correspondence inside the journal (R21): threads, replies, unread counts."""
