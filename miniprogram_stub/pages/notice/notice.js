// One notice: read it, it is marked read; a notice about a feature opens that page.
const api = require('../../utils/api');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

// Pages a notice may link to (the server sends the link as a mini-program path).
const LINKABLE = [
  '/pages/checkin/checkin',
  '/pages/activities/activities',
  '/pages/activity/activity',
  '/pages/meals/meals',
  '/pages/rides/rides',
  '/pages/family/family',
];

function safeLink(link) {
  if (!link) return '';
  const url = link.charAt(0) === '/' ? link : `/${link}`;
  return LINKABLE.indexOf(url.split('?')[0]) >= 0 ? url : '';
}

Component({
  behaviors: [page],
  data: { notice: null, link: '' },
  methods: {
    onLoad(query) {
      this.itemId = Number(query.id);
      return this.load();
    },
    load() {
      return this.guard(async () => {
        let notice = await call(api.inboxItem, { params: { item_id: this.itemId } });
        if (!notice.read_at) {
          const read = await call(api.markRead, { params: { item_id: this.itemId } });
          notice = { ...notice, read_at: read.read_at };
        }
        this.setData({
          notice: { ...notice, when: fmt.dateTime(notice.created_at) },
          link: safeLink(notice.link_page),
        });
      });
    },
    follow() {
      if (this.data.link) wx.navigateTo({ url: this.data.link });
    },
  },
});
