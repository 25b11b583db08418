"""Printouts (R6, R8, R20, R22): what each says as plain data (`forms`), the loaders that
fill them from the database (`data*`, `journal`, `summary`, `choices`) and the print
jobs (`jobs`, R23).
"""
