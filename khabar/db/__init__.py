"""Database helpers shared by the newsroom and the reader site: statements compiled once per
process (`prepared` for reads, `rows` for writes) where Django's per-call compiling costs more
than the database's work."""
