"""报平安: a daily one-tap "I am fine" for retirees who live alone, with a reminder and then a
message to the people who look after them when it does not come."""
