"""Product feedback raised by CS: what complaint-to-fix analytics measure."""
