"""Stage 5 of ``paykit.logs``: payments to learn and test on, made here or shipped.

Imports the earlier stages (the shipped files are written by the show stage's writers
and read back by the readers); no earlier stage imports it.

- ``synthetic_log``: ``simulate``, a realistic synthetic log made with numpy;
- ``shipped_samples``: ``sample_path``, ``read_sample``, ``write_samples``.
"""

__all__: list[str] = []
