"""The book: every account with its current health, filtered in the filter language,
sorted, paged and exported, and the row edits a CSM makes from it (flag, owner, tags)."""
