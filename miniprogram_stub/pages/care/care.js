// 关怀: when the centre last got in touch and last visited, what they promised to do, who looks
// after this retiree, and 「请工作人员给我回电话」. Family far away see the same as the retiree.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const CONTACT_WORDS = { 上门: '上门看望', 电话: '打电话', 微信: '微信视频', 现场: '来所里', 年度登记: '年度登记' };
const VISIT_WORDS = { 上门: '上门看望', 电话: '打电话问候', 视频: '视频问候' };

Component({
  behaviors: [page],
  data: { acting: null, care: null, done: '' },
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
      const res = await call(api.care, { query: { retiree_id: acting.retiree_id } });
      this.setData({
        acting,
        care: {
          ...res,
          contact: res.last_contact_on
            ? `${fmt.day(res.last_contact_on)}，${CONTACT_WORDS[res.last_contact_kind] || res.last_contact_kind}`
            : '',
          visit: res.last_visit_on
            ? `${fmt.day(res.last_visit_on)}，${VISIT_WORDS[res.last_visit_kind] || res.last_visit_kind}`
            : '',
          follow_ups: res.follow_ups.map((f) => ({ ...f, due: fmt.day(f.due_on) })),
        },
      });
    },
    async report(e) {
      const kind = e.currentTarget.dataset.kind;
      const words = kind === '住院' ? '住院了' : '家里有变故';
      if (!(await this.confirm(`告诉所里${this.data.acting.name || ''}${words}吗？工作人员会来看望。`, '告诉所里'))) {
        return undefined;
      }
      return this.guard(async () => {
        const res = await call(api.careEvent, { data: { retiree_id: this.data.acting.retiree_id, kind } });
        this.setData({ done: res.message });
      });
    },
    async callback() {
      const who = (this.data.care && this.data.care.staff_name) || '工作人员';
      if (!(await this.confirm(`请${who}给您回电话吗？`, '请回电话'))) return undefined;
      return this.guard(async () => {
        const res = await call(api.careCallback, { data: { retiree_id: this.data.acting.retiree_id } });
        this.setData({ done: res.message });
        await this.refresh();
      });
    },
  },
});
