"""The demo content: original, fictional Arabic news written for this project."""
