"""Sub-commands of the ``vmotion`` CLI, one module each (not public; use ``vmotion --help``)."""
