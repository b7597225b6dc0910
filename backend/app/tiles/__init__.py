"""Tiles: one account's health, quadrant, renewal or usage trend, ready for another product to show."""
