"""Reaching a person (issue 17, part 1): each unit's phones and its duty roster (值班表), and
`service.on_duty`, who to call right now."""
