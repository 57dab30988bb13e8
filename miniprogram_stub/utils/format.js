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

// "11月26日（周四）上午 9:30"
function dateTime(iso) {
  const d = parse(iso);
  if (!d) return '';
  const h = d.getUTCHours();
  const part = h < 12 ? '上午' : h < 18 ? '下午' : '晚上';
  const h12 = h > 12 ? h - 12 : h;
  return `${day(iso)}${part} ${h12}:${pad(d.getUTCMinutes())}`;
}

// China-time calendar date "2026-11-26" for a Date (now by default).
function localDate(date) {
  const d = new Date((date ? date.getTime() : Date.now()) + OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
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

module.exports = { day, dateTime, localDate, toUtcIso, money, WEEKDAYS };
