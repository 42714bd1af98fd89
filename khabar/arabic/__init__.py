"""Arabic text: normalize, tokenize, stem, numbers, dates. Pure functions, no Django."""
