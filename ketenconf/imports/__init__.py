"""Participants, organisations and sessions from a CSV or Excel file, for organisers who
collected them elsewhere: map the columns, check what will change (a dry run), then import,
all or nothing."""
