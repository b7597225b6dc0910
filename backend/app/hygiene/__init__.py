"""Data hygiene: how complete and consistent the book's data is (fill rates, renewal-date
problems, sources disagreeing, silent accounts, unmatched backlog) and one score for it."""
