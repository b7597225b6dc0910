"""Users, sessions, API keys, roles and the permission checks every route declares."""
