// Home: what matters today for the retiree being looked after.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const CHECKIN_SHOWN = ['returned', 'talk', 'submitted'];

// One section failing (say, meals not offered here) must not blank the whole page.
function soft(promise, failures) {
  return promise.catch((err) => {
    failures.push(err);
    return null;
  });
}

function nextBooking(list) {
  const now = Date.now();
  const live = (list || []).filter(
    (b) =>
      (b.status_code === 'confirmed' || b.status_code === 'waitlisted') &&
      Date.parse(b.starts_at) >= now,
  );
  live.sort((a, b) => (a.starts_at < b.starts_at ? -1 : 1));
  const b = live[0];
  return b ? { ...b, when: fmt.dateTime(b.starts_at) } : null;
}

function nextMeal(res, today) {
  const live = ((res && res.data) || []).filter((o) => o.date >= today && o.status_code !== 'cancelled');
  live.sort((a, b) => (a.date < b.date ? -1 : 1));
  const o = live[0];
  return o ? { ...o, when: fmt.day(o.date) } : null;
}

function nextRide(res) {
  const live = ((res && res.data) || []).filter((r) => r.status_code === 'requested' || r.status_code === 'dispatched');
  live.sort((a, b) => (a.pickup_at < b.pickup_at ? -1 : 1));
  const r = live[0];
  return r ? { ...r, when: fmt.dateTime(r.pickup_at) } : null;
}

Component({
  behaviors: [page],
  data: {
    acting: null,
    choices: [],
    checkin: null,
    activity: null,
    meal: null,
    ride: null,
    unread: 0,
  },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        this.setData({ acting, choices: auth.choices() });
        const id = acting.retiree_id;
        const failures = [];
        const q = { query: { retiree_id: id } };
        const [checkin, bookings, inbox, meals, rides] = await Promise.all([
          soft(call(api.checkin, q), failures),
          soft(call(api.bookings, q), failures),
          soft(call(api.inbox, { query: { retiree_id: id, limit: 1 } }), failures),
          soft(call(api.mealOrders, q), failures),
          soft(call(api.rides, q), failures),
        ]);
        const inSeason =
          checkin &&
          ((checkin.campaign && checkin.campaign.is_open) ||
            CHECKIN_SHOWN.indexOf(checkin.status_code) >= 0);
        this.setData({
          checkin: inSeason ? checkin : null,
          activity: nextBooking(bookings),
          meal: nextMeal(meals, fmt.localDate()),
          ride: nextRide(rides),
          unread: inbox ? inbox.unread : 0,
        });
        if (!checkin && !bookings && !inbox && failures.length) throw failures[0];
      });
    },
    onSwitch(e) {
      auth.setActing(e.detail.retireeId);
      return this.load();
    },
    askBot() {
      wx.switchTab({ url: '/pages/bot/bot' });
    },
    openInbox() {
      wx.switchTab({ url: '/pages/inbox/inbox' });
    },
  },
});
