"""Views by journey: the register and inspections, one recommendation's response, the
inspection response record."""
