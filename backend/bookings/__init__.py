"""The shared capacity + waiting-list mechanism behind activities, meals and rides."""
