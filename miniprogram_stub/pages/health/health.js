// 健康档案 (吉林省实施细则第十九条): the yearly check-up results and hospital stays the unit's
// medical staff keep, and the check-up report to open. The retiree reads it, and family only
// when the retiree gave them 「看健康档案」 on the 家人 page. Every read is logged: the page
// ends with who looked at the record lately, so nobody reads it unseen.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call, download } = require('../../utils/request');

function shownReads(reads) {
  return (reads || []).map((r) => ({ ...r, line: `${fmt.dateTime(r.at)} ${r.reader}看了${r.what}` }));
}

Component({
  behaviors: [page],
  data: {
    acting: null,
    allowed: true,
    name: '',
    entries: [],
    reads: [],
  },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.guard(() => this.refresh());
    },
    async refresh() {
      const acting = await auth.requireActing();
      if (!acting) return;
      // Family without the right are told what to do, without asking the server.
      if (!acting.can_see_health) {
        this.setData({ acting, allowed: false });
        return;
      }
      const res = await call(api.healthRecord, { query: { retiree_id: acting.retiree_id } });
      this.setData({
        acting,
        allowed: true,
        name: res.name,
        entries: res.entries,
        reads: shownReads(res.reads),
      });
    },
    // The report is a PDF (opened in WeChat's reader) or a photo (shown full screen).
    openReport(e) {
      const entryId = Number(e.currentTarget.dataset.id);
      return this.guard(async () => {
        const path = await download(api.healthReport, {
          params: { entry_id: entryId },
          query: { retiree_id: this.data.acting.retiree_id },
        });
        await new Promise((resolve) => {
          wx.openDocument({
            filePath: path,
            fileType: 'pdf',
            showMenu: true,
            success: resolve,
            fail: () => {
              wx.previewImage({ urls: [path] });
              resolve();
            },
          });
        });
        await this.refresh(); // the read just logged shows in 最近谁看过
      });
    },
  },
});
