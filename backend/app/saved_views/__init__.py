"""Saved views on the book: the built-in ones, a user's own, and shared ones."""
