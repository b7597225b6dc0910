"""A CSM's tasks on accounts: their own, and the steps of running plays."""
