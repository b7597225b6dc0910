"""Product usage: features, raw events (short retention), daily roll-ups and distinct users per day."""
