"""Rides (约车): requests, recurring series, vehicles, drivers, dispatch on top of bookings/."""
