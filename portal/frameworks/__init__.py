"""International frameworks that partners report against: reference lists of tags, seeded and translated."""
