"""Annual check-in (年度登记审核) and monthly contact records."""
