"""The team: each CSM's coverage of their book and workload, and moving accounts between them."""
