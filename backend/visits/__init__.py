"""Visits (走访): 定人包户 assignments, visit frequency by care flag, the week's visit list,
visit records with follow-ups, visit tasks on events (住院, 家庭变故, 回电话) and festival
campaigns with coverage per unit."""
