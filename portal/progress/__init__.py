"""Progress updates, their reviews and evidence: shared by commitments and joint-action parties."""
