"""Forms of the kpis app, one module per journey."""
