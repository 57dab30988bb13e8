"""Reports for the higher department: the monthly statistics sheet."""
