"""Accounts: the account, its contacts and notes, and the whole picture of one account in one call."""
