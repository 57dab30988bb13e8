// 事项报告: what the retiree reported and where each one stands, one report form per kind, and
// the steps after a trip (我回来了, 近况 every three months abroad). One thing per screen: the
// list, choosing a kind, the kind's form, or one short answer.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

// Each kind's boxes: name, what the box asks, and its type (text / date / yes).
const FORMS = {
  '出国(境)': [
    ['destination', '去哪个国家或地区', 'text'],
    ['depart_on', '哪天出发', 'date'],
    ['return_on', '哪天回来', 'date'],
    ['purpose', '去做什么（如 探亲、旅游）', 'text'],
    ['passport_no', '护照号码（只留后4位）', 'text'],
  ],
  社会团体任职: [
    ['organisation', '社会组织的名称', 'text'],
    ['post', '担任什么职务', 'text'],
  ],
  '出版/讲学': [
    ['title', '书名或讲课的题目', 'text'],
    ['venue', '出版社或讲课的地方', 'text'],
    ['on_date', '哪天', 'date'],
  ],
  再婚: [
    ['spouse_name', '对方的姓名', 'text'],
    ['on_date', '哪天登记', 'date'],
  ],
  户口迁移: [
    ['new_address', '户口迁到哪里', 'text'],
    ['on_date', '哪天迁', 'date'],
    ['also_residence', '人也搬到这里住', 'yes'],
  ],
  居住地变更: [
    ['new_address', '新的住址', 'text'],
    ['on_date', '哪天搬过去', 'date'],
  ],
  表彰奖励: [
    ['award', '获得了什么表彰或奖励', 'text'],
    ['awarded_by', '哪个单位颁发的', 'text'],
    ['on_date', '哪天', 'date'],
  ],
};

function today() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

function boxes(kind, values) {
  return (FORMS[kind] || []).map(([name, label, type]) => ({
    name,
    label,
    type,
    value: values[name] === undefined ? '' : values[name],
  }));
}

Component({
  behaviors: [page],
  data: {
    acting: null,
    list: [],
    kinds: Object.keys(FORMS),
    screen: 'list', // list / pick / form / quarter
    kind: '',
    values: {},
    fields: [],
    chosen: null,
    text: '',
    done: '',
  },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        const found = await call(api.matters, { query: { retiree_id: acting.retiree_id } });
        this.setData({ acting, list: found.data });
      });
    },
    startNew() {
      this.setData({ screen: 'pick', done: '', error: '' });
    },
    back() {
      this.setData({ screen: 'list', error: '' });
    },
    pickKind(e) {
      const kind = e.currentTarget.dataset.k;
      this.setData({ screen: 'form', kind, values: {}, fields: boxes(kind, {}) });
    },
    onBox(e) {
      const name = e.currentTarget.dataset.name;
      const values = { ...this.data.values, [name]: e.detail.value };
      this.setData({ values, fields: boxes(this.data.kind, values) });
    },
    onYes(e) {
      const name = e.currentTarget.dataset.name;
      const values = { ...this.data.values, [name]: !this.data.values[name] };
      this.setData({ values, fields: boxes(this.data.kind, values) });
    },
    submit() {
      const missing = this.data.fields.find(
        (f) => f.type !== 'yes' && f.name !== 'passport_no' && f.name !== 'venue' && !String(f.value).trim(),
      );
      if (missing) {
        this.setData({ error: `请填写：${missing.label}。`, errorCall: false });
        return undefined;
      }
      const data = { retiree_id: this.data.acting.retiree_id, kind: this.data.kind };
      this.data.fields.forEach((f) => {
        const v = f.type === 'yes' ? !!f.value : String(f.value).trim();
        if (v !== '') data[f.name] = v;
      });
      return this.guard(async () => {
        const made = await call(api.reportMatter, { data });
        this.setData({ screen: 'list', done: `已提交。${made.next_step}` });
        await this.reload();
      });
    },
    async reload() {
      const found = await call(api.matters, { query: { retiree_id: this.data.acting.retiree_id } });
      this.setData({ list: found.data });
    },
    async withdraw(e) {
      const id = e.currentTarget.dataset.id;
      if (!(await this.confirm('撤回这件事项吗？', '撤回'))) return undefined;
      return this.guard(async () => {
        await call(api.withdrawMatter, {
          params: { matter_id: id },
          data: { retiree_id: this.data.acting.retiree_id },
        });
        this.setData({ done: '已撤回。' });
        await this.reload();
      });
    },
    async backHome(e) {
      const id = e.currentTarget.dataset.id;
      if (!(await this.confirm(`今天（${today()}）回来的吗？`, '是的'))) return undefined;
      return this.guard(async () => {
        const m = await call(api.matterReturn, {
          params: { matter_id: id },
          data: { retiree_id: this.data.acting.retiree_id, returned_on: today() },
        });
        this.setData({ done: `欢迎回家。${m.next_step}` });
        await this.reload();
      });
    },
    startQuarter(e) {
      this.setData({ screen: 'quarter', chosen: e.currentTarget.dataset.id, text: '', done: '' });
    },
    sendQuarter() {
      if (this.data.text.trim().length < 2) {
        this.setData({ error: '请写几句近况，比如身体怎么样、住在哪里。', errorCall: false });
        return undefined;
      }
      return this.guard(async () => {
        await call(api.matterQuarterly, {
          params: { matter_id: this.data.chosen },
          data: { retiree_id: this.data.acting.retiree_id, text: this.data.text.trim() },
        });
        this.setData({ screen: 'list', done: '近况已经交给所里了。' });
        await this.reload();
      });
    },
  },
});
