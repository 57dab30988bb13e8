// Binding: a retiree with the code from staff, or a family member with an invite code.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const codes = require('../../utils/codes');
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
      const f = this.data.form;
      const retiree = this.data.mode === 'retiree';
      const code = codes.toHalfWidth(retiree ? f.code : f.invite);
      const tail = codes.toHalfWidth(f.id_tail);
      const problem = retiree
        ? codes.bindCodeProblem(code) || codes.idTailProblem(tail)
        : codes.inviteProblem(code);
      if (problem) {
        this.setData({ error: problem });
        return undefined;
      }
      return this.guard(async () => {
        const me = retiree
          ? await call(api.bindRetiree, { data: { code, id_tail: tail } })
          : await call(api.bindFamily, {
              data: { code, display_name: f.display_name.trim() },
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
