// Home: what matters today for the retiree being looked after.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');
const sos = require('../../utils/sos');

const CHECKIN_SHOWN = ['returned', 'talk', 'submitted'];

// One section failing (say, meals not offered here) must not blank the whole page.
function soft(promise, failures) {
  return promise.catch((err) => {
    failures.push(err);
    return null;
  });
}

// The coming activities, soonest first: every one signed up for or waiting for a place (a
// waiting-list place must not hide behind a confirmed one), at most SHOWN.
const SHOWN = 3;

function comingBookings(list) {
  const now = Date.now();
  const live = (list || []).filter(
    (b) =>
      (b.status_code === 'confirmed' || b.status_code === 'waitlisted') &&
      Date.parse(b.starts_at) >= now,
  );
  live.sort((a, b) => (a.starts_at < b.starts_at ? -1 : 1));
  return live.slice(0, SHOWN).map((b) => ({
    ...b,
    when: fmt.dateTime(b.starts_at),
    statusText: b.waitlist_position ? `${b.status_label}，排第${b.waitlist_position}位` : b.status_label,
  }));
}

// What the check-in button says: what there is to do.
function checkinAction(state) {
  if (state.status_code === 'returned') return '去改正年度登记';
  if (state.status_code === 'draft') return '接着填年度登记';
  if (state.can_edit) return '去办年度登记';
  return '看年度登记';
}

// 报平安 on the home page: the one tap for the retiree who has it on; for family, whether it
// came today; for someone who could have it, a way to turn it on. Null: nothing to show.
function safecheckCard(state) {
  if (!state) return null;
  if (!state.enabled && !(state.eligible && state.can_change)) return null;
  const at = state.checked_in_at ? fmt.endTime(state.checked_in_at, state.checked_in_at) : '';
  return { ...state, at };
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
    safecheck: null,
    activities: [],
    meal: null,
    ride: null,
    unread: 0,
    contact: { who: '', phone: '' },
    known: { bookings: false, meals: false, rides: false, inbox: false },
  },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.guard(async () => {
        if (!(await auth.requireActing())) return;
        // Who I follow, fresh: a death recorded since the last visit changes this page.
        await auth.refreshMe().catch(() => null);
        const acting = auth.acting();
        this.setData({
          acting: { ...acting, died: acting.died_on ? fmt.day(acting.died_on) : '' },
          choices: auth.choices(),
        });
        const id = acting.retiree_id;
        if (acting.deceased) return this.loadSorrow(id);
        const failures = [];
        const q = { query: { retiree_id: id } };
        const [checkin, bookings, inbox, meals, rides, contact, safecheck] = await Promise.all([
          soft(call(api.checkin, q), failures),
          soft(call(api.bookings, q), failures),
          soft(call(api.inbox, { query: { retiree_id: id, limit: 1 } }), failures),
          soft(call(api.mealOrders, q), failures),
          soft(call(api.rides, q), failures),
          // Who answers 「打电话给所里」 now (the 值班表); the button works without it too.
          call(api.contactCall, q).catch(() => null),
          soft(call(api.safecheck, q), []),
        ]);
        const inSeason =
          checkin &&
          ((checkin.campaign && checkin.campaign.is_open) ||
            CHECKIN_SHOWN.indexOf(checkin.status_code) >= 0);
        this.setData({
          checkin: inSeason
            ? {
                ...checkin,
                action: checkinAction(checkin),
                next_step: fmt.keepPhones(checkin.next_step),
                banner: fmt.keepPhones(checkin.banner),
              }
            : null,
          safecheck: safecheckCard(safecheck),
          activities: comingBookings(bookings),
          meal: nextMeal(meals, fmt.localDate()),
          ride: nextRide(rides),
          unread: inbox ? inbox.unread : 0,
          contact: {
            who: contact && contact.phone ? fmt.keepPhones(contact.who) : '',
            phone: contact && contact.phone ? contact.phone : '',
          },
          // A section that did not load must not say "nothing booked" (the screenshots of a
          // failed load showed 还没有订餐 over an error).
          known: { bookings: !!bookings, meals: !!meals, rides: !!rides, inbox: !!inbox },
        });
        if (!checkin && !bookings && !inbox && failures.length) throw failures[0];
      });
    },
    // The family of someone who has died: unread messages and who to call, nothing to book.
    async loadSorrow(id) {
      const [inbox, contact] = await Promise.all([
        call(api.inbox, { query: { retiree_id: id, limit: 1 } }).catch(() => null),
        call(api.contactCall, { query: { retiree_id: id } }).catch(() => null),
      ]);
      this.setData({
        unread: inbox ? inbox.unread : 0,
        contact: {
          who: contact && contact.phone ? fmt.keepPhones(contact.who) : '',
          phone: contact && contact.phone ? contact.phone : '',
        },
      });
    },
    onSwitch(e) {
      auth.setActing(e.detail.retireeId);
      return this.load();
    },
    // 「我今天挺好」: one tap; a second tap the same day changes nothing on the server.
    imFine() {
      return this.guard(async () => {
        const state = await call(api.safecheckTap, {
          data: { retiree_id: this.data.acting.retiree_id },
        });
        this.setData({ safecheck: safecheckCard(state) });
      });
    },
    // 紧急求助: one question, then the status page sends it (location only if allowed).
    async sos() {
      if (!(await this.confirm(sos.question(this.data.acting), sos.CONFIRM))) return;
      wx.navigateTo({ url: '/pages/sos/sos?raise=1' });
    },
    askBot() {
      wx.switchTab({ url: '/pages/bot/bot' });
    },
    openInbox() {
      wx.switchTab({ url: '/pages/inbox/inbox' });
    },
  },
});
