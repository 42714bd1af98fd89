"""Newsroom: the models of the news, the admin for editors, ingest tasks and commands."""
