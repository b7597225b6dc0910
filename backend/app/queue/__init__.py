"""The priority queue (Today): open alerts and opportunities ranked by ARR at stake, each with its reason, context and play."""
