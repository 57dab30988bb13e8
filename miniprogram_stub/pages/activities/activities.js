// Activities: upcoming ones (all, or only those I can join), and my sign-ups.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

Component({
  behaviors: [page],
  data: { tab: 'all', items: [], mine: [], acting: null },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        this.setData({ acting });
        const id = acting.retiree_id;
        if (this.data.tab === 'mine') {
          const list = await call(api.bookings, { query: { retiree_id: id } });
          this.setData({
            mine: list
              .filter((b) => b.kind === 'activity')
              .map((b) => ({ ...b, when: fmt.dateTime(b.starts_at) })),
          });
          return;
        }
        const query = { retiree_id: id };
        if (this.data.tab === 'can') query.can_join = true;
        const res = await call(api.activities, { query });
        this.setData({
          items: res.data.map((a) => ({ ...a, when: fmt.dateTime(a.starts_at) })),
        });
      });
    },
    pickTab(e) {
      this.setData({ tab: e.currentTarget.dataset.tab });
      return this.load();
    },
    open(e) {
      wx.navigateTo({ url: `/pages/activity/activity?id=${e.currentTarget.dataset.id}` });
    },
  },
});
