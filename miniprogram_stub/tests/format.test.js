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
  expect(fmt.endTime('2026-12-21T01:00:00Z', '2026-12-21T04:00:00Z')).toBe('下午 12:00');
  expect(fmt.endTime('2026-12-21T01:00:00Z', '2026-12-22T04:00:00Z')).toBe('12月22日（周二）下午 12:00');
});

test('phone numbers in a sentence do not break after the area code', () => {
  expect(fmt.keepPhones('请拨打010-64210001。')).toBe('请拨打010\u2060-\u206064210001。');
  expect(fmt.keepPhones(null)).toBe(null);
});
