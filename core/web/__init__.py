"""The program in a browser (``ejournal web``): its ``[web]`` settings and who may use it."""
