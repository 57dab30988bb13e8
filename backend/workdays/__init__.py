"""The working-day calendar: national holidays and 调休 make-up days, for clocks counted in
working days (事项审批 10 个工作日, 信访 deadlines)."""
