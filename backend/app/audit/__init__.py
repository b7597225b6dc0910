"""The audit log: one row per write, who did it and what changed."""
