"""The demo college: a construction college (ККСТ-like) with a year of journal data.

Entry point: :func:`demo.build.build_demo`. See ``docs/demo.md``.
"""
