// 信访和意见箱: what the retiree wrote to the unit (a question, a request for help, a complaint,
// a suggestion), where each one stands, the reply and how to rate it; writing a new one in two
// steps; and the 意见箱, which keeps no name. Bound family write for the person they look after,
// in their own name. One thing per screen: the list, writing, or the 意见箱.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const errors = require('../../utils/errors');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');
const speech = require('../../utils/speech');

const NOT_HEARD = '没有听清。请按住按钮再说一次，说完再松手。';

// One short line under each kind, so nobody has to know the words.
const HINTS = {
  咨询: '想问一件事',
  求助: '遇到难处，请所里帮忙',
  投诉: '有不满意的地方',
  建议: '有好主意告诉所里',
};
const KINDS = Object.keys(HINTS);
const SHORT = 60; // a long letter shows its beginning in the list

// "2026-12-03" → "12月3日"
function monthDay(iso) {
  const m = /^\d{4}-(\d{2})-(\d{2})/.exec(iso || '');
  return m ? `${Number(m[1])}月${Number(m[2])}日` : '';
}

function kindsOf(names) {
  return (names && names.length ? names : KINDS).map((name) => ({ name, hint: HINTS[name] || '' }));
}

function shown(cases) {
  return (cases || []).map((c) => ({
    ...c,
    short: c.body.length > SHORT ? `${c.body.slice(0, SHORT)}……` : c.body,
    written: c.created_at ? `${fmt.day(c.created_at)}写的` : '',
  }));
}

Component({
  behaviors: [page],
  data: {
    acting: null,
    cases: [],
    kinds: kindsOf([]),
    screen: 'list', // list / write / box
    kind: '',
    body: '',
    boxText: '',
    unhappy: 0, // the case whose 不满意 asks what was wrong
    comment: '',
    done: '',
    doneFor: 0, // the case a thank-you belongs to (shown in its card), 0: the top of the page
    canTalk: false,
    listening: false,
  },
  methods: {
    onLoad() {
      // 按住说话 (WechatSI): what is heard is added to the text, to read over before sending.
      this.ears = speech.recognizer({
        onText: (text) => this.heard(text),
        onFail: () => this.setData({ listening: false, error: NOT_HEARD }),
      });
      this.setData({ canTalk: !!this.ears });
      return this.load();
    },
    talkStart() {
      if (!this.ears || this.data.busy || this.data.listening) return;
      this.setData({ listening: true, error: '' });
      this.ears.start();
    },
    talkEnd() {
      if (!this.ears || !this.data.listening) return;
      this.ears.stop();
    },
    heard(text) {
      if (!text) {
        this.setData({ listening: false, error: NOT_HEARD });
        return;
      }
      const before = this.data.body.trim();
      this.setData({ listening: false, body: before ? `${before}${text}` : text });
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        const res = await call(api.cases, { query: { retiree_id: acting.retiree_id } });
        this.setData({ acting, cases: shown(res.data), kinds: kindsOf(res.kinds) });
      });
    },
    async reload() {
      const res = await call(api.cases, { query: { retiree_id: this.data.acting.retiree_id } });
      this.setData({ cases: shown(res.data), kinds: kindsOf(res.kinds) });
    },
    startWrite() {
      this.setData({ screen: 'write', kind: '', body: '', done: '', doneFor: 0, error: '' });
    },
    startBox() {
      this.setData({ screen: 'box', boxText: '', done: '', doneFor: 0, error: '' });
    },
    back() {
      this.setData({ screen: 'list', error: '' });
    },
    pickKind(e) {
      this.setData({ kind: e.currentTarget.dataset.k, error: '' });
    },
    // Checked here first; the server checks again.
    send() {
      if (!this.data.kind) {
        this.setData({ error: '请先点一下是哪一类事。', errorCall: false });
        return undefined;
      }
      const body = this.data.body.trim();
      if (body.length < 2) {
        this.setData({ error: '请写上想说的话。', errorCall: false });
        return undefined;
      }
      return this.guard(async () => {
        const made = await call(api.submitCase, {
          data: { retiree_id: this.data.acting.retiree_id, kind: this.data.kind, body },
        });
        this.setData({
          screen: 'list',
          done: `已经交给所里了，编号${made.number}。${made.next_step}`,
          doneFor: 0,
        });
        await this.reload();
      });
    },
    sendBox() {
      const body = this.data.boxText.trim();
      if (body.length < 2) {
        this.setData({ error: '请写上想说的话。', errorCall: false });
        return undefined;
      }
      return this.guard(async () => {
        let res;
        try {
          res = await call(api.suggestionBox, { data: { body } });
        } catch (err) {
          // A few a day: the server's own words would say to wait a minute.
          if (err && err.code === 'too_many_requests') {
            throw errors.say('今天已经放了好几次了。请明天再放，有急事请打电话给所里。');
          }
          throw err;
        }
        this.setData({ screen: 'list', boxText: '', done: res.message, doneFor: 0 });
      });
    },
    // 满意 and 基本满意 are sent at once; 不满意 first asks what was wrong (it may stay empty).
    rate(e) {
      const id = Number(e.currentTarget.dataset.id);
      const rating = e.currentTarget.dataset.r;
      if (rating === '不满意') {
        this.setData({ unhappy: id, comment: '', done: '', doneFor: 0, error: '' });
        return undefined;
      }
      return this.sendRating(id, rating, null);
    },
    sendUnhappy() {
      const comment = this.data.comment.trim();
      return this.sendRating(this.data.unhappy, '不满意', comment || null);
    },
    cancelUnhappy() {
      this.setData({ unhappy: 0, comment: '', error: '' });
    },
    sendRating(id, rating, comment) {
      this.setData({ done: '', doneFor: 0 });
      return this.guard(async () => {
        const c = await call(api.rateCase, {
          params: { case_id: id },
          query: { retiree_id: this.data.acting.retiree_id },
          data: { rating, comment },
        });
        let done = '谢谢您的评价。';
        if (rating === '不满意') {
          const due = monthDay(c.due_on);
          done = due ? `我们会再办一次，${due}前答复您。` : '我们会再办一次，办好了告诉您。';
        }
        this.setData({ unhappy: 0, comment: '', done, doneFor: id });
        await this.reload();
      });
    },
  },
});
