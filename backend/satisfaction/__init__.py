"""Satisfaction, measured: one ratings table (meals, rides, activities, cases, surveys) and
short surveys staff send to an audience (bj-junxiu-service-spec 8.1.3–8.1.4)."""
