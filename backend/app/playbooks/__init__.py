"""Playbooks: the library, triggers, drafted tasks and emails rendered in a sandbox, runs and their effectiveness."""
