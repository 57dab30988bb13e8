// One meal or ride: 满意 / 基本满意 / 不满意, three big buttons, one tap. Opened from the 请评价
// notice (source, id, retiree_id in the link) or from 问卷和评价. A second tap with another answer
// corrects the first.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const SCORES = ['满意', '基本满意', '不满意'];

Component({
  behaviors: [page],
  data: { acting: null, item: null, scores: SCORES, picked: '', done: '' },
  methods: {
    onLoad(query) {
      this.query = query || {};
      return this.load();
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        const retiree = Number(this.query.retiree_id) || acting.retiree_id;
        const item = await call(api.rating, {
          query: { source: this.query.source, source_id: Number(this.query.id), retiree_id: retiree },
        });
        this.setData({ acting, item, picked: item.score || '' });
      });
    },
    rate(e) {
      const score = e.currentTarget.dataset.score;
      const item = this.data.item;
      return this.guard(async () => {
        const saved = await call(api.rate, {
          data: { source: item.source, source_id: item.source_id, retiree_id: item.retiree_id, score },
        });
        this.setData({ item: saved, picked: saved.score, done: `谢谢！已记下：${saved.score}。` });
      });
    },
    back() {
      wx.navigateBack({ fail: () => wx.reLaunch({ url: '/pages/index/index' }) });
    },
  },
});
