// 遗属: what the family of a retiree who has died sees. Their binding stays (they may look and
// they receive notices): what the centre does for them (吉林省实施细则第四十条), where each
// matter stands, the benefits and their status, the survivors' records, and who to call. Opened
// from the home page or from a notice (?retiree_id=).
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

Component({
  behaviors: [page],
  data: { acting: null, info: null, retireeId: null },
  methods: {
    onLoad(query) {
      if (query && query.retiree_id) this.setData({ retireeId: Number(query.retiree_id) });
      return this.load();
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        const retireeId = this.data.retireeId || acting.retiree_id;
        const res = await call(api.survivor, { query: { retiree_id: retireeId } });
        this.setData({
          acting,
          info: { ...res, died: res.died_on ? fmt.day(res.died_on) : '' },
        });
      });
    },
  },
});
