"""The Usage-Health quadrant as a read model: the book on the quadrant, distribution over time, movers, transitions."""
