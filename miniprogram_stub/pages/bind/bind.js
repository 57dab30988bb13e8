// Binding: a retiree with the code from staff, or a family member with an invite code.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

Component({
  behaviors: [page],
  data: { mode: '', form: { code: '', id_tail: '', invite: '', display_name: '' } },
  methods: {
    onLoad() {
      return this.guard(async () => {
        const me = await auth.ready();
        if (me.bound) this.setData({ already: true });
      });
    },
    load() {},
    choose(e) {
      this.setData({ mode: e.currentTarget.dataset.mode, error: '' });
    },
    bind() {
      return this.guard(async () => {
        const f = this.data.form;
        const me =
          this.data.mode === 'retiree'
            ? await call(api.bindRetiree, {
                data: { code: f.code.trim(), id_tail: f.id_tail.trim().toUpperCase() },
              })
            : await call(api.bindFamily, {
                data: { code: f.invite.trim().toUpperCase(), display_name: f.display_name.trim() },
              });
        auth.saveMe(me);
        wx.reLaunch({ url: '/pages/index/index' });
      });
    },
    home() {
      wx.reLaunch({ url: '/pages/index/index' });
    },
  },
});
