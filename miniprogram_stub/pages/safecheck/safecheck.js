// 报平安设置: turn it on or off, the time by which the day's 「我今天挺好」 should come, the
// quiet hours, and pauses (外出 with a return day, 住院 until discharge).
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const KINDS = ['外出', '住院'];

Component({
  behaviors: [page],
  data: {
    acting: null,
    state: null,
    form: { due_time: '10:00', quiet_start: '21:00', quiet_end: '07:00' },
    kinds: KINDS,
    pause: { kind: '外出', starts_on: '', ends_on: '' },
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
        const state = await call(api.safecheck, { query: { retiree_id: acting.retiree_id } });
        this.show(acting, state);
      });
    },
    show(acting, state) {
      const today = fmt.localDate();
      this.setData({
        acting,
        state,
        form: { due_time: state.due_time, quiet_start: state.quiet_start, quiet_end: state.quiet_end },
        pause: { kind: this.data.pause.kind, starts_on: today, ends_on: this.data.pause.ends_on || today },
      });
    },
    savePlan(enabled) {
      return this.guard(async () => {
        const state = await call(api.safecheckPlan, {
          data: { retiree_id: this.data.acting.retiree_id, enabled, ...this.data.form },
        });
        this.show(this.data.acting, state);
        this.setData({
          done: enabled ? `已保存。每天${state.due_time}前点一下“我今天挺好”就好。` : '已关闭报平安。',
        });
      });
    },
    save() {
      return this.savePlan(true);
    },
    async turnOff() {
      if (!(await this.confirm('关闭后，没报平安也不会提醒，也不会告诉所里和家人。确定关闭吗？', '确定关闭'))) {
        return undefined;
      }
      return this.savePlan(false);
    },
    pickKind(e) {
      this.setData({ 'pause.kind': e.currentTarget.dataset.k });
    },
    addPause() {
      const p = this.data.pause;
      const data = { retiree_id: this.data.acting.retiree_id, kind: p.kind, starts_on: p.starts_on };
      if (p.kind === '外出') data.ends_on = p.ends_on;
      return this.guard(async () => {
        const state = await call(api.safecheckPause, { data });
        this.show(this.data.acting, state);
        this.setData({ done: '已暂停，这几天不会提醒。' });
      });
    },
    endPause(e) {
      const id = Number(e.currentTarget.dataset.id);
      return this.guard(async () => {
        const state = await call(api.safecheckEndPause, {
          params: { pause_id: id },
          query: { retiree_id: this.data.acting.retiree_id },
        });
        this.show(this.data.acting, state);
        this.setData({ done: '欢迎回来。从明天起，每天记得点一下。' });
      });
    },
  },
});
