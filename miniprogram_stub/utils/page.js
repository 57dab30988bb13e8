// What every page shares: the text size, one error line, and a guard around server calls.
// Errors stay on the page until the next action (no toast that vanishes before it is read).
const a11y = require('./a11y');

module.exports = Behavior({
  data: { rootFontSize: '18px', error: '', busy: false, loaded: false },
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
        this.setData({ error: (err && err.message) || '出了点问题，请再试一次。' });
        return undefined;
      } finally {
        this.setData({ busy: false, loaded: true, rootFontSize: a11y.rootFontSize() });
      }
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
