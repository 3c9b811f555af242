"""Use cases of the information-model part: import, read, bind value domains, check, export."""
