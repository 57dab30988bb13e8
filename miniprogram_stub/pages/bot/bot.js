// 问政策: the policy bot. Each answer shows where it comes from; suggestion chips ask again;
// an intent ("我要订餐") offers the page; "找工作人员" hands the question to staff.
// 有用 / 没用 under each answer tell staff which answers do not help; 按住说话 asks by voice and
// 朗读 reads an answer aloud (WeChat's 同声传译 plugin, utils/speech.js).
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const speech = require('../../utils/speech');
const { call } = require('../../utils/request');

const INTENT_PAGES = {
  checkin: { url: '/pages/checkin/checkin', label: '去办年度登记' },
  activity: { url: '/pages/activities/activities', label: '去活动报名' },
  meal: { url: '/pages/meals/meals', label: '去订餐' },
  ride: { url: '/pages/rides/rides', label: '去约车' },
  notice: { url: '/pages/inbox/inbox', label: '去看消息', tab: true },
};

const STARTERS = ['体检多久一次', '出国要报备吗', '遗属能领什么补助'];
const NOT_HEARD = '没听清，请再说一遍。也可以在下面写字问。';
const READ_FAILED = '朗读没有成功，请再点一次“朗读”。';

Component({
  behaviors: [page],
  data: {
    question: '',
    messages: [],
    lastQuestion: '',
    suggestions: STARTERS,
    asked: null,
    canTalk: false,
    canRead: false,
    listening: false,
    reading: 0,
  },
  methods: {
    onLoad() {
      this.ears = speech.recognizer({
        onText: (text) => this.heard(text),
        onFail: () => this.setData({ listening: false, error: NOT_HEARD }),
      });
      this.voice = speech.reader();
      this.setData({ canTalk: !!this.ears, canRead: !!this.voice });
      return this.guard(() => auth.ready());
    },
    onUnload() {
      if (this.voice) this.voice.destroy();
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
          answerId: res.answer_id || 0,
          voted: '',
          thanks: '',
        });
        this.setData({ suggestions: (res.suggestions || []).slice(0, 4) });
      });
    },
    // 按住说话: recognition runs while the button is held; letting go asks what was heard.
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
      this.setData({ listening: false });
      if (!text) {
        this.setData({ error: NOT_HEARD });
        return undefined;
      }
      return this.ask(text);
    },
    readAloud(e) {
      const id = Number(e.currentTarget.dataset.id);
      if (!this.voice) return;
      if (this.data.reading === id) {
        this.voice.stop();
        this.setData({ reading: 0 });
        return;
      }
      const message = this.data.messages.find((m) => m.id === id);
      if (!message) return;
      this.setData({ reading: id, error: '' });
      this.voice.read(message.text, {
        onEnd: () => this.setData({ reading: 0 }),
        onError: () => this.setData({ reading: 0, error: READ_FAILED }),
      });
    },
    // 有用 / 没用: one vote per answer; tapping the other button changes it.
    vote(e) {
      const id = Number(e.currentTarget.dataset.id);
      const helpful = e.currentTarget.dataset.helpful === 'yes';
      const message = this.data.messages.find((m) => m.id === id);
      if (!message || !message.answerId) return undefined;
      return this.guard(async () => {
        const res = await call(api.botFeedback, {
          params: { answer_id: message.answerId },
          data: { helpful },
        });
        const messages = this.data.messages.map((m) =>
          m.id === id ? { ...m, voted: helpful ? 'useful' : 'useless', thanks: res.message } : m,
        );
        this.setData({ messages });
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
