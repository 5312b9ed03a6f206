"""Demo data: the Tegucigalpa symposium on co-responsibility for return and reintegration."""
