// 订餐: the menu by day, book an option (how many, eat in / pick up / delivered), cancel
// before the cutoff, my orders; standing orders on their own page.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call, newKey } = require('../../utils/request');

const MODES = ['堂食', '自取', '送餐'];

function groupByDate(menus) {
  const days = [];
  menus.forEach((m) => {
    let d = days.find((x) => x.date === m.date);
    if (!d) {
      d = { date: m.date, label: fmt.shortDay(m.date), meals: [] };
      days.push(d);
    }
    d.meals.push({
      ...m,
      cutoff: fmt.dateTime(m.cutoff_at),
      options: m.options.map((o) => ({
        ...o,
        dishText: (o.dishes || []).join('、'),
        tagText: (o.tags || []).join('、'),
        priceText: fmt.money(o.subsidised_price !== null && o.subsidised_price !== undefined ? o.subsidised_price : o.price),
        fullPrice: fmt.money(o.price),
      })),
    });
  });
  return days;
}

const MEAL_ORDER = ['早餐', '午餐', '晚餐'];

function soonestFirst(list) {
  return list.slice().sort((a, b) => {
    if (a.date !== b.date) return a.date < b.date ? -1 : 1;
    return MEAL_ORDER.indexOf(a.meal) - MEAL_ORDER.indexOf(b.meal);
  });
}

Component({
  behaviors: [page],
  data: {
    acting: null,
    days: [],
    dayIndex: 0,
    orders: [],
    modes: MODES,
    form: null,
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
      const id = acting.retiree_id;
      const [menus, orders] = await Promise.all([
        // The server's today, not the phone's: a wrong phone clock must not hide the menu.
        call(api.mealMenus, { query: { retiree_id: id, days: 7 } }),
        call(api.mealOrders, { query: { retiree_id: id } }),
      ]);
      this.setData({
        acting,
        days: groupByDate(menus.data),
        // Soonest first: the next meal is the one that matters.
        orders: soonestFirst(orders.data).map((o) => ({
          ...o,
          when: fmt.day(o.date),
          cutoff: fmt.dateTime(o.cutoff_at),
          due: fmt.money(o.amount_due),
        })),
      });
    },
    pickDay(e) {
      this.setData({ dayIndex: Number(e.currentTarget.dataset.i), form: null });
    },
    startOrder(e) {
      const { meal, option } = e.currentTarget.dataset;
      const day = this.data.days[this.data.dayIndex];
      const m = day.meals[Number(meal)];
      const o = m.options[Number(option)];
      this.orderKey = newKey(); // one key for this order, reused by every retry
      this.setData({
        done: '',
        form: {
          option_id: o.id,
          title: `${day.label}${m.meal}：${o.name}`,
          quantity: 1,
          mode: '堂食',
          address: '',
          diet_notes: '',
        },
      });
    },
    pickQuantity(e) {
      this.setData({ 'form.quantity': Number(e.currentTarget.dataset.n) });
    },
    pickMode(e) {
      this.setData({ 'form.mode': e.currentTarget.dataset.m });
    },
    closeForm() {
      this.setData({ form: null });
    },
    order() {
      const f = this.data.form;
      if (f.mode === '送餐' && !f.address.trim()) {
        this.setData({ error: '送餐要写上送到哪里，请填好地址。' });
        return undefined;
      }
      return this.guard(async () => {
        const placed = await call(api.mealOrder, {
          data: {
            retiree_id: this.data.acting.retiree_id,
            option_id: f.option_id,
            quantity: f.quantity,
            mode: f.mode,
            address: f.mode === '送餐' ? f.address.trim() : null,
            diet_notes: f.diet_notes.trim() || null,
            idempotency_key: this.orderKey,
          },
        });
        this.orderKey = null;
        this.setData({
          form: null,
          done: placed.waitlist_position
            ? `这份饭订满了，已帮您排队，排第${placed.waitlist_position}位。`
            : `订好了：${placed.name}，${placed.status_label}。`,
        });
        await this.refresh();
      });
    },
    async cancel(e) {
      const id = Number(e.currentTarget.dataset.id);
      if (!(await this.confirm('确定不要这份饭了吗？', '确定取消'))) return undefined;
      return this.guard(async () => {
        await call(api.cancelMealOrder, { params: { order_id: id } });
        this.setData({ done: '已取消这份饭。' });
        await this.refresh();
      });
    },
  },
});
