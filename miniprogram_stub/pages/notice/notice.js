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
// Tab-bar pages open with switchTab, which takes no query.
const TABS = ['/pages/bot/bot', '/pages/inbox/inbox', '/pages/index/index', '/pages/settings/settings'];

function safeLink(link) {
  if (!link) return '';
  const url = link.charAt(0) === '/' ? link : `/${link}`;
  const path = url.split('?')[0];
  if (TABS.indexOf(path) >= 0) return path;
  return LINKABLE.indexOf(path) >= 0 ? url : '';
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
      const link = this.data.link;
      if (!link) return;
      if (TABS.indexOf(link) >= 0) wx.switchTab({ url: link });
      else wx.navigateTo({ url: link });
    },
  },
});
