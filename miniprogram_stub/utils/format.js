// Dates and times as a retiree reads them, in China time (UTC+8, no summer time).
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const OFFSET_MS = 8 * 3600 * 1000;

function parse(iso) {
  if (!iso) return null;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) || iso.length <= 10 ? iso : `${iso}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms + (iso.length <= 10 ? 0 : OFFSET_MS));
}

function pad(n) {
  return n < 10 ? `0${n}` : `${n}`;
}

// "11月26日（周四）"
function day(iso) {
  const d = parse(iso);
  if (!d) return '';
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日（周${WEEKDAYS[d.getUTCDay()]}）`;
}

// A day chip, short enough for two in a row at the largest font: "今天", "明天", else
// "27日 周五" (with the month on the 1st).
function shortDay(iso) {
  const d = parse(iso);
  if (!d) return '';
  const today = localDate();
  const tomorrow = localDate(new Date(Date.now() + 24 * 3600 * 1000));
  if (iso.slice(0, 10) === today) return '今天';
  if (iso.slice(0, 10) === tomorrow) return '明天';
  const month = d.getUTCDate() === 1 ? `${d.getUTCMonth() + 1}月` : '';
  return `${month}${d.getUTCDate()}日 周${WEEKDAYS[d.getUTCDay()]}`;
}

// "11月26日（周四）上午 9:30"
function dateTime(iso) {
  const d = parse(iso);
  if (!d) return '';
  const h = d.getUTCHours();
  // Noon is 中午 12:xx, not 下午 12:xx; before six in the morning is 凌晨.
  const part = h < 6 ? '凌晨' : h < 12 ? '上午' : h === 12 ? '中午' : h < 18 ? '下午' : '晚上';
  const h12 = h > 12 ? h - 12 : h;
  return `${day(iso)}${part} ${h12}:${pad(d.getUTCMinutes())}`;
}

// The end of something that started at startIso: only the time when it is the same day
// ("中午 12:00"), else the date too.
function endTime(startIso, endIso) {
  const full = dateTime(endIso);
  const sameDay = day(startIso) === day(endIso);
  return sameDay ? full.slice(day(endIso).length) : full;
}

// China-time calendar date "2026-11-26" for a Date (now by default).
function localDate(date) {
  const d = new Date((date ? date.getTime() : Date.now()) + OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// An ISO time, minus `minutesBefore`, as China time { date: "2026-11-26", time: "08:30" }.
function localParts(iso, minutesBefore = 0) {
  const d = parse(iso);
  if (!d) return { date: '', time: '' };
  const t = new Date(d.getTime() - minutesBefore * 60000);
  return {
    date: `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`,
    time: `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`,
  };
}

// China time "2026-11-26" + "09:30" → UTC ISO string for the server.
function toUtcIso(dateText, timeText) {
  const ms = Date.parse(`${dateText}T${timeText || '00:00'}:00+08:00`);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

function money(value) {
  if (value === null || value === undefined || value === '') return '';
  return `${Number(value).toFixed(2)}元`;
}

// Phone numbers in a sentence stay on one line: 010-64210001 must not break after "010-".
function keepPhones(text) {
  if (!text) return text;
  return String(text).replace(/(\d{3,4})-(\d{7,8})/g, '$1\u2060-\u2060$2');
}

module.exports = { day, shortDay, dateTime, endTime, localDate, localParts, toUtcIso, money, keepPhones, WEEKDAYS };
