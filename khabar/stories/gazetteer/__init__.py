"""The gazetteer data files of khabar.stories.entities (a package so that wheels ship them)."""
