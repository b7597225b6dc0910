"""Identity resolution: account aliases, which account a source's key means, and the records whose account is not known yet (unmatched)."""
