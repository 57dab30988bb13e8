// 约车: pick a common destination (or write one), when, how many, wheelchair, companion,
// and optionally the same ride every week. One idempotency key per request: a retry after a
// dropped network books one ride.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const errors = require('../../utils/errors');
const page = require('../../utils/page');
const { call, newKey } = require('../../utils/request');

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7].map((n) => ({ n, label: `周${'一二三四五六日'[n - 1]}` }));

function blankForm() {
  return {
    destination_id: null,
    destination_text: '',
    pickup_address: '',
    date: '',
    time: '',
    return_time: '',
    passengers: 1,
    wheelchair: false,
    companion_needed: false,
    notes: '',
    repeat: false,
    weekdays: {},
    until: '',
  };
}

Component({
  behaviors: [page],
  data: { acting: null, destinations: [], form: blankForm(), weekdays: WEEKDAYS, today: '' },
  methods: {
    // From an activity's 「约车去体检」: the place, day, time and a note come filled in.
    onLoad(query = {}) {
      const form = blankForm();
      if (query.to) form.destination_text = decodeURIComponent(query.to);
      if (/^\d{4}-\d{2}-\d{2}$/.test(query.date || '')) form.date = query.date;
      if (/^\d{2}:\d{2}$/.test(query.time || '')) form.time = query.time;
      if (query.note) form.notes = decodeURIComponent(query.note);
      this.setData({ today: fmt.localDate(), form });
      return this.load();
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        const res = await call(api.rideDestinations, { query: { retiree_id: acting.retiree_id } });
        this.setData({ acting, destinations: res.data });
      });
    },
    pickDestination(e) {
      const id = Number(e.currentTarget.dataset.id);
      this.setData({
        'form.destination_id': this.data.form.destination_id === id ? null : id,
        'form.destination_text': '',
      });
    },
    pick(e) {
      const { key, value } = e.currentTarget.dataset;
      const v = value === 'yes' ? true : value === 'no' ? false : Number(value);
      this.setData({ [`form.${key}`]: v });
    },
    toggleRepeat() {
      this.setData({ 'form.repeat': !this.data.form.repeat });
    },
    toggleDay(e) {
      const n = e.currentTarget.dataset.n;
      this.setData({ [`form.weekdays.${n}`]: !this.data.form.weekdays[n] });
    },
    problem(f) {
      if (!f.destination_id && !f.destination_text.trim()) return '请选去哪里，或者自己写上地方。';
      if (!f.date || !f.time) return '请选哪天、几点出发。';
      if (f.repeat && !WEEKDAYS.some((d) => f.weekdays[d.n])) return '每周重复的话，请选星期几。';
      if (f.repeat && !f.until) return '每周重复的话，请选到哪天为止。';
      return '';
    },
    submit() {
      const f = this.data.form;
      const problem = this.problem(f);
      if (problem) {
        this.setData({ error: problem });
        return undefined;
      }
      this.rideKey = this.rideKey || newKey(); // reused until the request succeeds
      const data = {
        retiree_id: this.data.acting.retiree_id,
        pickup_address: f.pickup_address.trim() || null,
        destination_id: f.destination_id,
        destination_text: f.destination_id ? null : f.destination_text.trim(),
        pickup_at: fmt.toUtcIso(f.date, f.time),
        return_at: f.return_time ? fmt.toUtcIso(f.date, f.return_time) : null,
        passengers: f.passengers,
        wheelchair: f.wheelchair,
        companion_needed: f.companion_needed,
        notes: f.notes.trim() || null,
        idempotency_key: this.rideKey,
        repeat: f.repeat
          ? {
              weekdays: WEEKDAYS.map((d) => d.n).filter((n) => f.weekdays[n]),
              until: f.until,
            }
          : null,
      };
      return this.guard(async () => {
        try {
          await call(api.requestRide, { data });
        } catch (err) {
          // The same person already has a car then (a daughter may have booked it): ask first.
          if (!err || err.code !== 'possible_duplicate') throw err;
          if (!(await this.confirm(errors.describe(err).text, '仍然要约'))) {
            this.setData({ error: '这次没有再约。已经约好的车在“我的用车”里。' });
            return;
          }
          await call(api.requestRide, { data: { ...data, confirm_duplicate: true } });
        }
        this.rideKey = null;
        wx.redirectTo({ url: '/pages/rides/rides' });
      });
    },
  },
});
