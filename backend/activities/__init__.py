"""Activities (文体活动, 老年大学 classes, 疗养, 慰问) on top of bookings/."""
