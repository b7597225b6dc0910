"""Cross-feature sequences, named for what happens.

A feature never imports the features that react to it: when one feature's work must be
followed by another's (today's scores open alerts, which start plays and send
notifications; subscription changes rebuild revenue, which keeps renewals in step; a new
alias replays unmatched records), the sequence is written here, calling each feature in
turn. Routers, job modules and the CLI call flows; features do not.
"""
