"""The notebook course's machinery: navigation, seed coverage and the build.

Repository tooling, not part of the ``paykit`` package: it needs nbformat and nbclient
(the ``dev`` extra) and runs from the repository root.

- ``tools.course.navigation``: the map and prev / contents / next cells, from the files;
- ``tools.course.coverage``: which notebook section teaches each point of Stripe's two
  guides;
- ``tools.course.build``: ``python -m tools.course.build`` regenerates and re-executes.
"""
