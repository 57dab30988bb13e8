const fmt = require('../utils/format');

afterEach(() => jest.restoreAllMocks());

test('day chips: 今天, 明天, then the date (the month on the 1st)', () => {
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-29T02:00:00Z'));
  expect(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'].map(fmt.shortDay)).toEqual([
    '今天',
    '明天',
    '12月1日 周二',
    '2日 周三',
  ]);
});

test('an end time on the same day is only the time', () => {
  expect(fmt.endTime('2026-12-21T01:00:00Z', '2026-12-21T04:00:00Z')).toBe('中午 12:00');
  expect(fmt.endTime('2026-12-21T01:00:00Z', '2026-12-22T04:00:00Z')).toBe('12月22日（周二）中午 12:00');
});

test('the part of the day: 凌晨, 上午, 中午 (12:xx), 下午, 晚上', () => {
  // China time = UTC + 8.
  expect(fmt.dateTime('2026-12-20T21:30:00Z')).toContain('凌晨 5:30');
  expect(fmt.dateTime('2026-12-21T01:30:00Z')).toContain('上午 9:30');
  expect(fmt.dateTime('2026-12-21T04:30:00Z')).toContain('中午 12:30');
  expect(fmt.dateTime('2026-12-21T06:00:00Z')).toContain('下午 2:00');
  expect(fmt.dateTime('2026-12-21T11:00:00Z')).toContain('晚上 7:00');
});

test('phone numbers in a sentence do not break after the area code', () => {
  expect(fmt.keepPhones('请拨打010-64210001。')).toBe('请拨打010\u2060-\u206064210001。');
  expect(fmt.keepPhones(null)).toBe(null);
});
