"""Use cases of the requirement tools: the catalogue, requirement sets, supplier answers."""
