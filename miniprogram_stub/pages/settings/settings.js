// Settings: text size, WeChat reminders (consent asked on a tap), quiet hours.
const a11y = require('../../utils/a11y');
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const config = require('../../config');
const errors = require('../../utils/errors');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const CATEGORIES = ['通知', '活动', '政策', '温馨提示'];

function remaining(balances) {
  return Object.keys(balances || {}).reduce((sum, k) => sum + Number(balances[k] || 0), 0);
}

Component({
  behaviors: [page],
  data: {
    sizes: a11y.SIZES,
    size: 'standard',
    categories: CATEGORIES,
    prefs: null,
    picked: {},
    remaining: 0,
    saved: '',
  },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      this.setData({ size: a11y.sizeKey() });
      return this.guard(async () => {
        const me = await auth.ready();
        if (!me.bound) return;
        this.show(await call(api.preferences));
      });
    },
    show(prefs) {
      const picked = {};
      prefs.wechat_categories.forEach((c) => {
        picked[c] = true;
      });
      this.setData({ prefs, picked, remaining: remaining(prefs.balances) });
    },
    pickSize(e) {
      a11y.setSizeKey(e.currentTarget.dataset.key);
      this.setData({ size: a11y.sizeKey(), rootFontSize: a11y.rootFontSize() });
    },
    // WeChat allows asking only from a tap; each "允许" lets us send one reminder.
    subscribe() {
      const tmpl = config.noticeTemplateId;
      return this.guard(async () => {
        const res = await new Promise((resolve, reject) => {
          wx.requestSubscribeMessage({
            tmplIds: [tmpl],
            success: resolve,
            fail: () => reject(errors.say('没有打开微信提醒。可以再点一次试试。')),
          });
        });
        const results = { [tmpl]: res[tmpl] || 'reject' };
        this.show(await call(api.grantSubscription, { data: { results } }));
        this.setData({
          saved: results[tmpl] === 'accept' ? '好的，有新消息会在微信里提醒您。' : '',
        });
      });
    },
    toggle(e) {
      const c = e.currentTarget.dataset.c;
      this.setData({ [`picked.${c}`]: !this.data.picked[c], saved: '' });
    },
    save() {
      return this.guard(async () => {
        const prefs = await call(api.savePreferences, {
          data: {
            wechat_categories: CATEGORIES.filter((c) => this.data.picked[c]),
            quiet_start: this.data.prefs.quiet_start,
            quiet_end: this.data.prefs.quiet_end,
          },
        });
        this.show(prefs);
        this.setData({ saved: '已保存。' });
      });
    },
  },
});
