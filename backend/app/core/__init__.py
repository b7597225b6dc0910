"""Cross-cutting plumbing: settings, database sessions, jobs, errors, embedded services."""
