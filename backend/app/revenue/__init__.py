"""Revenue: subscription lines and invoices, the movements engine, monthly ARR and the period metrics (NRR, GRR, churn, expansion)."""
