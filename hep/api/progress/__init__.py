"""Today's list and adherence."""
