// 每周固定订餐: the same meal on chosen weekdays, until stopped.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const MEALS = ['午餐', '晚餐'];
const TAGS = ['低盐', '低糖', '软烂', '清真', '素食'];
const MODES = ['堂食', '自取', '送餐'];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7].map((n) => ({ n, label: `周${'一二三四五六日'[n - 1]}` }));

function weekdayText(days) {
  return (days || []).map((n) => WEEKDAYS[n - 1].label).join('、');
}

function blankForm() {
  return {
    meal: '午餐',
    weekdays: {},
    mode: '堂食',
    quantity: 1,
    address: '',
    diet_notes: '',
    tag: '',
  };
}

Component({
  behaviors: [page],
  data: {
    acting: null,
    list: [],
    meals: MEALS,
    tags: TAGS,
    modes: MODES,
    weekdays: WEEKDAYS,
    form: blankForm(),
    done: '',
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
      const res = await call(api.standingOrders, { query: { retiree_id: acting.retiree_id } });
      this.setData({
        acting,
        list: res.data.map((s) => ({ ...s, days: weekdayText(s.weekdays) })),
      });
    },
    pick(e) {
      const { key, value } = e.currentTarget.dataset;
      this.setData({ [`form.${key}`]: key === 'quantity' ? Number(value) : value });
    },
    pickTag(e) {
      const tag = e.currentTarget.dataset.value;
      this.setData({ 'form.tag': this.data.form.tag === tag ? '' : tag });
    },
    toggleDay(e) {
      const n = e.currentTarget.dataset.n;
      this.setData({ [`form.weekdays.${n}`]: !this.data.form.weekdays[n] });
    },
    create() {
      const f = this.data.form;
      const weekdays = WEEKDAYS.map((d) => d.n).filter((n) => f.weekdays[n]);
      if (!weekdays.length) {
        this.setData({ error: '请选星期几要订，可以选几天。' });
        return undefined;
      }
      if (f.mode === '送餐' && !f.address.trim()) {
        this.setData({ error: '送餐要写上送到哪里，请填好地址。' });
        return undefined;
      }
      return this.guard(async () => {
        await call(api.createStandingOrder, {
          data: {
            retiree_id: this.data.acting.retiree_id,
            meal: f.meal,
            weekdays,
            mode: f.mode,
            quantity: f.quantity,
            address: f.mode === '送餐' ? f.address.trim() : null,
            diet_notes: f.diet_notes.trim() || null,
            tag: f.tag || null,
          },
        });
        this.setData({ form: blankForm(), done: `好了，每${weekdayText(weekdays)}都给您订${f.meal}。` });
        await this.refresh();
      });
    },
    async stop(e) {
      const id = Number(e.currentTarget.dataset.id);
      if (!(await this.confirm('确定不再每周固定订这顿饭了吗？', '确定停止'))) return undefined;
      return this.guard(async () => {
        await call(api.stopStandingOrder, { params: { standing_id: id } });
        this.setData({ done: '已停止。已经订好的饭还在，不要的话请在“订餐”页面取消。' });
        await this.refresh();
      });
    },
  },
});
