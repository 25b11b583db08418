"""Marks turned into results: semester finals (`finals`, R7), the forecast and students at
risk (`forecast`, R9), performance and attendance figures (`performance`, R8). Pure rules.
"""
