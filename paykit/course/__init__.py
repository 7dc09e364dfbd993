"""The notebook course's machinery: navigation, seed coverage and the build.

- ``paykit.course.navigation``: the map and prev / contents / next cells, from the files;
- ``paykit.course.coverage``: which notebook section teaches each point of the seeds;
- ``paykit.course.build``: ``python -m paykit.course.build`` regenerates and re-executes.
"""
