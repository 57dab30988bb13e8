// Notices: newest first, urgent unread on top (the server orders them); 30 at a time.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const PAGE_SIZE = 30;

function shape(entry) {
  return { ...entry, when: fmt.dateTime(entry.created_at), unread: !entry.read_at };
}

Component({
  behaviors: [page],
  data: { items: [], unread: 0, more: false, acting: null, all: true },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        const res = await call(api.inbox, { query: { limit: PAGE_SIZE } });
        this.setData({
          acting,
          items: res.data.map(shape),
          unread: res.unread,
          more: res.data.length === PAGE_SIZE,
        });
      });
    },
    loadMore() {
      return this.guard(async () => {
        const last = this.data.items[this.data.items.length - 1];
        const res = await call(api.inbox, { query: { limit: PAGE_SIZE, before_id: last.id } });
        this.setData({
          items: this.data.items.concat(res.data.map(shape)),
          more: res.data.length === PAGE_SIZE,
        });
      });
    },
    open(e) {
      wx.navigateTo({ url: `/pages/notice/notice?id=${e.currentTarget.dataset.id}` });
    },
  },
});
