"""Use cases of local use: reserved ranges, profiles, sortimenter, correspondences, feeds, webhooks."""
