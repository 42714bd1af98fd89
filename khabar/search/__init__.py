"""Search: the Arabic analyzer and the search backends."""
