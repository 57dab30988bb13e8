// One activity: details (its photo; the term of a weekly class), sign up (party size, notes),
// cancel before the deadline, the waiting list place, the sign-in code of a confirmed booking
// (shown on the day, scanned by staff), and a one-tap rating after attending.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call, download, newKey } = require('../../utils/request');

// How long before a check-up the car comes (most start at eight, across town).
const RIDE_LEAD_MINUTES = 60;

Component({
  behaviors: [page],
  data: {
    activity: null,
    quantity: 1,
    sizes: [1],
    notes: '',
    acting: null,
    done: '',
    signin: null, // { booking_id, code, qr_svg } once 出示签到码 is tapped
    photo: '', // the downloaded photo's temporary path
    photoFailed: false,
  },
  methods: {
    onLoad(query) {
      this.activityId = Number(query.id);
      return this.load();
    },
    load() {
      return this.guard(() => this.refresh());
    },
    // A check-up is far and early: the ride form opens filled in — the hospital, the day, an
    // hour before the start — and the retiree only checks it and sends it.
    rideTo() {
      const a = this.data.activity;
      const when = fmt.localParts(a.starts_at, RIDE_LEAD_MINUTES);
      const query = [
        `to=${encodeURIComponent(a.place)}`,
        `date=${when.date}`,
        `time=${when.time}`,
        `note=${encodeURIComponent(a.title)}`,
      ].join('&');
      wx.navigateTo({ url: `/pages/ride-new/ride-new?${query}` });
    },
    async refresh() {
      const acting = await auth.requireActing();
      if (!acting) return;
      const a = await call(api.activity, {
        params: { activity_id: this.activityId },
        query: { retiree_id: acting.retiree_id },
      });
      const sizes = [];
      for (let i = 1; i <= (a.max_quantity || 1); i += 1) sizes.push(i);
      const mine = a.my_booking;
      const shown = this.data.signin;
      // The code stays up while the booking it belongs to is still confirmed.
      const keepCode = !!(
        shown &&
        mine &&
        mine.status_code === 'confirmed' &&
        mine.id === shown.booking_id
      );
      this.setData({
        acting,
        sizes,
        signin: keepCode ? shown : null,
        activity: {
          ...a,
          when: fmt.dateTime(a.starts_at),
          until: a.ends_at ? fmt.endTime(a.starts_at, a.ends_at) : '',
          closes: fmt.dateTime(a.closes_at),
          cancelBy: fmt.dateTime(a.cancel_deadline),
          // A confirmed place on a check-up still to come: offer the car there.
          rideOffered:
            a.category === '体检' &&
            !!mine &&
            mine.status_code === 'confirmed' &&
            Date.parse(a.starts_at) > Date.now(),
        },
      });
      await this.loadPhoto(a, acting);
    },
    // The photo is a picture to look at: if it cannot be fetched the page still works, and a
    // line says so. Fetched once per page.
    async loadPhoto(a, acting) {
      if (!a.has_photo) {
        if (this.data.photo || this.data.photoFailed) {
          this.setData({ photo: '', photoFailed: false });
        }
        return;
      }
      if (this.data.photo) return;
      try {
        const photo = await download(api.activityPhoto, {
          params: { activity_id: this.activityId },
          query: { retiree_id: acting.retiree_id },
        });
        this.setData({ photo, photoFailed: false });
      } catch (err) {
        this.setData({ photoFailed: true });
      }
    },
    // 出示签到码: the QR code large with the code underneath; a second tap puts it away.
    showCode() {
      if (this.data.signin) {
        this.setData({ signin: null });
        return undefined;
      }
      return this.guard(async () => {
        const signin = await call(api.attendanceCode, {
          params: { booking_id: this.data.activity.my_booking.id },
        });
        this.setData({ signin });
      });
    },
    pickSize(e) {
      this.setData({ quantity: Number(e.currentTarget.dataset.n) });
    },
    signUp() {
      this.signupKey = this.signupKey || newKey(); // the same key for every retry of this tap
      return this.guard(async () => {
        const booking = await call(api.signUp, {
          params: { activity_id: this.activityId },
          data: {
            retiree_id: this.data.acting.retiree_id,
            quantity: this.data.quantity,
            notes: this.data.notes.trim() || null,
            idempotency_key: this.signupKey,
          },
        });
        this.signupKey = null;
        let done = '报名成功。活动前一天会提醒您。';
        if (this.data.activity.schedule) {
          done = '报名成功，整个学期的课都报上了。每次上课前一天会提醒您。';
        }
        if (booking.status_code === 'waitlisted') {
          done = `名额满了，已帮您排队候补，排第${booking.waitlist_position}位。有空位会发消息告诉您。`;
        }
        this.setData({ done });
        await this.refresh();
      });
    },
    async cancel() {
      const ok = await this.confirm(
        this.data.activity.schedule
          ? '确定不去了吗？取消后整个学期的课都不上了，名额会让给别人。'
          : '确定不去了吗？取消后名额会让给别人。',
        '确定取消',
      );
      if (!ok) return undefined;
      return this.guard(async () => {
        await call(api.cancelBooking, {
          params: { booking_id: this.data.activity.my_booking.id },
        });
        this.setData({ done: '已取消报名。' });
        await this.refresh();
      });
    },
    rate(e) {
      return this.guard(async () => {
        await call(api.rateBooking, {
          params: { booking_id: this.data.activity.my_booking.id },
          data: { rating: e.currentTarget.dataset.r },
        });
        this.setData({ done: '谢谢您的评价。' });
        await this.refresh();
      });
    },
  },
});
