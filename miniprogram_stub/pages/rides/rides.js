// 我的用车: each ride with its status in words, the car and driver once assigned, cancel.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

Component({
  behaviors: [page],
  data: { acting: null, rides: [], done: '' },
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
      const res = await call(api.rides, { query: { retiree_id: acting.retiree_id } });
      this.setData({
        acting,
        rides: res.data.map((r) => ({
          ...r,
          when: fmt.dateTime(r.pickup_at),
          back: r.return_at ? fmt.dateTime(r.return_at) : '',
        })),
      });
    },
    newRide() {
      wx.navigateTo({ url: '/pages/ride-new/ride-new' });
    },
    callDriver(e) {
      wx.makePhoneCall({ phoneNumber: e.currentTarget.dataset.phone });
    },
    async cancel(e) {
      const id = Number(e.currentTarget.dataset.id);
      if (!(await this.confirm('确定不用这次车了吗？', '确定取消'))) return undefined;
      return this.guard(async () => {
        await call(api.cancelRide, { params: { ride_id: id } });
        this.setData({ done: '已取消这次用车。' });
        await this.refresh();
      });
    },
    async cancelSeries(e) {
      const id = e.currentTarget.dataset.series;
      if (!(await this.confirm('确定以后每次都不用了吗？', '全部取消'))) return undefined;
      return this.guard(async () => {
        const res = await call(api.cancelRideSeries, { params: { series_id: id } });
        this.setData({ done: `以后重复的用车都取消了，一共${res.cancelled}次。` });
        await this.refresh();
      });
    },
  },
});
