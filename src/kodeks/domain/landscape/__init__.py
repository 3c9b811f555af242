"""The solution landscape: IT solutions (SYS-AP ``sys:ITSystem``), their use per municipality over
time, and the public tasks (KLE/FORM) they serve. Pure rules and values; see ``docs/landscape.md``."""
