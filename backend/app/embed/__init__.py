"""Embedding: short-lived signed tokens that let another product show chosen tiles of chosen
accounts, the configurations an admin pauses or revokes, and the tile route they open."""
