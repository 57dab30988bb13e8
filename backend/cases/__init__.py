"""信访 and suggestions, one case one file (bj-junxiu-service-spec 7.3.1–7.3.2, 8.1.3; hn 6.7.5):
a complaint, question, request or suggestion from the mini-program, or recorded by staff from
the phone, a letter or a visit; a number, a handler, a due date in working days by kind,
reminders and escalation, a reply the person reads, their rating, a follow-up when not
satisfied; and an anonymous 意见箱."""
