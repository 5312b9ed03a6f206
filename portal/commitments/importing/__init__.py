"""Bulk import of commitments from CSV or XLSX: read the file, preview each row, then carry it out at once."""
