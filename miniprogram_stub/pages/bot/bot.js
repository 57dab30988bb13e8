// 问政策: the policy bot. Each answer shows where it comes from; suggestion chips ask again;
// an intent ("我要订餐") offers the page; "找工作人员" hands the question to staff.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const INTENT_PAGES = {
  checkin: { url: '/pages/checkin/checkin', label: '去办年度登记' },
  activity: { url: '/pages/activities/activities', label: '去活动报名' },
  meal: { url: '/pages/meals/meals', label: '去订餐' },
  ride: { url: '/pages/rides/rides', label: '去约车' },
  notice: { url: '/pages/inbox/inbox', label: '去看消息', tab: true },
};

const STARTERS = ['体检多久一次', '出国要报备吗', '遗属能领什么补助'];

Component({
  behaviors: [page],
  data: { question: '', messages: [], lastQuestion: '', suggestions: STARTERS, asked: null },
  methods: {
    onLoad() {
      return this.guard(() => auth.ready());
    },
    load() {},
    push(message) {
      const messages = this.data.messages.concat([{ id: this.data.messages.length + 1, ...message }]);
      this.setData({ messages });
    },
    send() {
      return this.ask(this.data.question);
    },
    askChip(e) {
      return this.ask(e.currentTarget.dataset.q);
    },
    ask(text) {
      const question = (text || '').trim();
      if (!question) {
        this.setData({ error: '请先写下您想问的事。' });
        return undefined;
      }
      return this.guard(async () => {
        this.push({ from: 'me', text: question });
        this.setData({ question: '', lastQuestion: question });
        const res = await call(api.botAsk, { data: { question } });
        const target = INTENT_PAGES[res.intent] || null;
        this.push({
          from: 'bot',
          text: res.answer,
          answered: res.answered,
          sources: res.sources || [],
          target,
          handoff: res.handoff_offered || res.intent === 'handoff',
        });
        this.setData({ suggestions: (res.suggestions || []).slice(0, 4) });
      });
    },
    openTarget(e) {
      const url = e.currentTarget.dataset.url;
      const tab = Object.keys(INTENT_PAGES).some(
        (k) => INTENT_PAGES[k].url === url && INTENT_PAGES[k].tab,
      );
      if (tab) wx.switchTab({ url });
      else wx.navigateTo({ url });
    },
    // Questions handed to staff, with their answers (the answer also arrives as a notice).
    showAsked() {
      return this.guard(async () => {
        const list = await call(api.myQuestions);
        this.setData({ asked: list.map((q) => ({ ...q, when: fmt.dateTime(q.at) })) });
      });
    },
    handoff() {
      const question = this.data.lastQuestion || this.data.question.trim();
      if (!question) {
        this.setData({ error: '请先在下面写下您想问的事，再点“找工作人员”。' });
        return undefined;
      }
      return this.guard(async () => {
        const res = await call(api.botHandoff, { data: { question } });
        this.push({ from: 'bot', text: res.message, sources: [], handedOff: true });
      });
    },
  },
});
