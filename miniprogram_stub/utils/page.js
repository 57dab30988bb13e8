// What every page shares: the text size, one error line, and a guard around server calls.
// Text size: every page binds <page-meta root-font-size="{{rootFontSize}}">; this behaviour sets
// it from WeChat's font setting / 关怀模式 and the user's 字号 (utils/a11y.js) when the page is
// created, each time it is shown (the setting may have changed while the app was away) and
// after each server call — no page sets it itself.
// Errors stay on the page until the next action (no toast that vanishes before it is read); what
// they say comes from utils/errors.js, with 「打电话给所里」 when nothing else will help.
const a11y = require('./a11y');
const contact = require('./contact');
const errors = require('./errors');

module.exports = Behavior({
  data: { rootFontSize: '18px', error: '', errorCall: false, busy: false, loaded: false },
  lifetimes: {
    attached() {
      this.setData({ rootFontSize: a11y.rootFontSize() });
    },
  },
  methods: {
    onShow() {
      this.setData({ rootFontSize: a11y.rootFontSize() });
      // Coming back to a page shows fresh data (a booking made elsewhere, a notice read).
      if (this.data.loaded && this.load) this.load();
    },
    async guard(work) {
      if (this.data.busy) return undefined;
      this.setData({ busy: true, error: '' });
      try {
        return await work();
      } catch (err) {
        this.showError(err);
        return undefined;
      } finally {
        this.setData({ busy: false, loaded: true, rootFontSize: a11y.rootFontSize() });
      }
    },
    // The one way a page shows a failure. options.validation: the page's sentence for a form
    // the server could not read.
    showError(err, options) {
      const said = errors.describe(err, options || this.errorOptions || {});
      this.setData({ error: said.text, errorCall: said.call });
    },
    // 「打电话给所里」 under an error: whoever is on duty now (utils/contact.js), else the
    // number remembered from the server, else where to find it.
    async callUnit() {
      const done = await contact.dial();
      if (done.said) this.setData({ error: done.said, errorCall: false });
    },
    // A confirmation is the only pop-up: a plain question with two big answers.
    confirm(content, confirmText) {
      return new Promise((resolve) => {
        wx.showModal({
          title: '请确认',
          content,
          confirmText: confirmText || '确定',
          cancelText: '不了',
          success: (res) => resolve(!!res.confirm),
          fail: () => resolve(false),
        });
      });
    },
    // <input data-field="form.code" bindinput="onField"> keeps what was typed in page data.
    onField(e) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value });
    },
    go(e) {
      const url = e.currentTarget.dataset.url;
      if (url) wx.navigateTo({ url });
    },
  },
});
