"""Minutes of meetings: drafting, circulation, endorsement, approval, revisions and action items."""
