// 紧急联系人: three rows (name, relation, phone); a row left empty is not saved.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const ROWS = 3;

function rowsOf(contacts) {
  const rows = (contacts || []).map((c) => ({ name: c.name, relation: c.relation, phone: c.phone }));
  while (rows.length < ROWS) rows.push({ name: '', relation: '', phone: '' });
  return rows;
}

function filled(rows) {
  return rows
    .map((r) => ({ name: r.name.trim(), relation: r.relation.trim(), phone: r.phone.trim() }))
    .filter((r) => r.name || r.relation || r.phone);
}

Component({
  behaviors: [page],
  data: { acting: null, rows: rowsOf([]), done: '' },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        const held = await call(api.sosContacts, { query: { retiree_id: acting.retiree_id } });
        this.setData({ acting, rows: rowsOf(held.can_edit ? held.contacts : []) });
      });
    },
    save() {
      this.setData({ done: '' });
      const contacts = filled(this.data.rows);
      const half = contacts.find((r) => !r.name || !r.relation || !r.phone);
      if (!contacts.length) {
        this.setData({ error: '请至少填一位：姓名、关系和手机号。', errorCall: false });
        return undefined;
      }
      if (half) {
        this.setData({ error: '每一位都要填姓名、关系和手机号。', errorCall: false });
        return undefined;
      }
      return this.guard(async () => {
        const saved = await call(api.saveSosContacts, {
          data: { retiree_id: this.data.acting.retiree_id, contacts },
        });
        this.setData({ rows: rowsOf(saved.contacts), done: '已保存。' });
      });
    },
  },
});
