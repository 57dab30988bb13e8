// Binding: a retiree with the code from staff, or a family member with an invite code.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const codes = require('../../utils/codes');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const RETIREE_UNREADABLE =
  '绑定码或身份证后4位没有填对。绑定码是6位数字，请对照工作人员给的纸条再填一次。';
const FAMILY_UNREADABLE = '邀请码或称呼没有填对。请对照老人手机上的邀请码再填一次。';

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
      const mode = e.currentTarget.dataset.mode;
      // What the page says if the server cannot read the form (never its list of fields).
      this.errorOptions = { validation: mode === 'family' ? FAMILY_UNREADABLE : RETIREE_UNREADABLE };
      this.setData({ mode, error: '' });
    },
    bind() {
      const f = this.data.form;
      const retiree = this.data.mode === 'retiree';
      const code = codes.toHalfWidth(retiree ? f.code : f.invite);
      const tail = codes.toHalfWidth(f.id_tail);
      // The boxes show what will be sent (１２３ ４５６ becomes 123456).
      this.setData(
        retiree ? { 'form.code': code, 'form.id_tail': tail } : { 'form.invite': code },
      );
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
