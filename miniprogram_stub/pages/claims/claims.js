// 医疗费补助 (吉林省实施细则第二十条): the year's claims and where each stands, and sending a
// receipt — what kind, how much was paid by oneself, a photo — one step at a time. The retiree,
// and family with the 代办 right, send receipts; other bound family only look.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { choosePhoto } = require('../../utils/photo');
const { call, upload } = require('../../utils/request');

// "1280.5" → 128050 分; null when it is not an amount of money.
function toFen(text) {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(String(text).trim());
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number(((m[2] || '') + '00').slice(0, 2));
  return fen > 0 ? fen : null;
}

function shown(claims) {
  return (claims || []).map((c) => ({
    ...c,
    pay: c.pay_on ? fmt.day(c.pay_on) : '',
    receipts: c.receipts.map((r) => ({ ...r, line: `${r.category} ${r.amount_yuan}元：${r.status_text}` })),
  }));
}

Component({
  behaviors: [page],
  data: {
    acting: null,
    canSend: false,
    covered: true,
    claims: [],
    categories: [],
    years: [],
    screen: 'list', // list / send
    year: 0,
    category: '',
    amount: '',
    done: '',
  },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        const res = await call(api.medicalClaims, { query: { retiree_id: acting.retiree_id } });
        const thisYear = Number(fmt.localDate().slice(0, 4));
        this.setData({
          acting,
          canSend: res.covered && (acting.self || acting.can_submit_checkin),
          covered: res.covered,
          claims: shown(res.data),
          categories: res.categories,
          years: [thisYear, thisYear - 1],
        });
      });
    },
    startSend() {
      this.setData({ screen: 'send', year: this.data.years[0], category: '', amount: '', done: '', error: '' });
    },
    back() {
      this.setData({ screen: 'list', error: '' });
    },
    pickYear(e) {
      this.setData({ year: Number(e.currentTarget.dataset.y) });
    },
    pickCategory(e) {
      this.setData({ category: e.currentTarget.dataset.c, error: '' });
    },
    onAmount(e) {
      this.setData({ amount: e.detail.value });
    },
    // Checked here first so nobody takes a photo for nothing; the server checks again.
    send() {
      if (!this.data.category) {
        this.setData({ error: '请先点一下是哪一种票据。', errorCall: false });
        return undefined;
      }
      const amount = toFen(this.data.amount);
      if (amount === null) {
        this.setData({ error: '请填票据上自己付的钱，比如 1280.50。', errorCall: false });
        return undefined;
      }
      return this.guard(async () => {
        const filePath = await choosePhoto();
        if (!filePath) return; // closed without choosing: nothing sent
        const res = await upload(api.medicalReceipt, {
          query: {
            retiree_id: this.data.acting.retiree_id,
            year: this.data.year,
            amount,
            category: this.data.category,
          },
          filePath,
        });
        this.setData({
          claims: shown(res.data),
          screen: 'list',
          done: '票据交好了。工作人员看过后会告诉您。',
        });
      });
    },
  },
});
