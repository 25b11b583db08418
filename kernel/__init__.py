"""The shared kernel every layer may import: pure Python, imports nothing of the project.

The error family (``errors``), the settings (``settings``), the places on disk (``paths``),
password derivation (``passwords``), the spelling of logins (``logins``), the values of a cell
(``marks``, R3) and the Russian text helpers (``text``: «Фамилия И. О.», plurals).
"""
