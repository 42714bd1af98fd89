"""Stories: fingerprints, near-duplicates, grouping into stories, related articles."""
