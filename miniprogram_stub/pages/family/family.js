// 家人: a retiree invites family (with what they may do) and removes them; a family member
// sees their own binding and may leave it.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const RELATIONS = ['配偶', '子女', '其他'];
// What a family member may do, as the retiree switches it on or off.
const RIGHTS = [
  { key: 'can_receive_notices', name: '收通知' },
  { key: 'can_submit_checkin', name: '办年度登记' },
  { key: 'can_book', name: '预约报名' },
  { key: 'can_see_health', name: '看健康档案' },
];

Component({
  behaviors: [page],
  data: {
    acting: null,
    family: [],
    relations: RELATIONS,
    invite: {
      relation: '子女',
      can_receive_notices: true,
      can_submit_checkin: false,
      can_book: false,
      can_see_health: false,
    },
    rightNames: RIGHTS,
    issued: null,
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
      const family = await call(api.family, { params: { retiree_id: acting.retiree_id } });
      this.setData({
        acting,
        family: family.map((b) => ({ ...b, since: fmt.day(b.created_at) })),
      });
    },
    pickRelation(e) {
      this.setData({ 'invite.relation': e.currentTarget.dataset.r });
    },
    togglePermission(e) {
      const key = e.currentTarget.dataset.p;
      this.setData({ [`invite.${key}`]: !this.data.invite[key] });
    },
    createInvite() {
      return this.guard(async () => {
        const issued = await call(api.inviteFamily, {
          params: { retiree_id: this.data.acting.retiree_id },
          data: this.data.invite,
        });
        this.setData({ issued: { ...issued, until: fmt.dateTime(issued.expires_at) } });
      });
    },
    // One tap switches one right of one family member; the page says what changed.
    toggleRight(e) {
      const id = Number(e.currentTarget.dataset.id);
      const key = e.currentTarget.dataset.p;
      const binding = this.data.family.find((b) => b.id === id);
      if (!binding) return undefined;
      const rights = {};
      RIGHTS.forEach((r) => {
        rights[r.key] = r.key === key ? !binding[key] : !!binding[r.key];
      });
      const name = RIGHTS.find((r) => r.key === key).name;
      return this.guard(async () => {
        await call(api.setFamilyRights, {
          params: { retiree_id: this.data.acting.retiree_id, binding_id: id },
          data: rights,
        });
        const words = rights[key] ? `${binding.display_name}现在可以${name}了。` : `${binding.display_name}不能再${name}了。`;
        this.setData({ done: words });
        await this.refresh();
      });
    },
    copyCode() {
      wx.setClipboardData({ data: this.data.issued.code });
    },
    async revoke(e) {
      const id = Number(e.currentTarget.dataset.id);
      const who = e.currentTarget.dataset.name;
      const self = !this.data.acting.self;
      const question = self
        ? `确定不再帮${this.data.acting.name}办事了吗？`
        : `确定解除和${who}的绑定吗？解除后他（她）就看不到您的消息了。`;
      if (!(await this.confirm(question, '确定解除'))) return undefined;
      return this.guard(async () => {
        await call(api.revokeFamily, {
          params: { retiree_id: this.data.acting.retiree_id, binding_id: id },
        });
        if (self) {
          await auth.refreshMe();
          wx.reLaunch({ url: '/pages/index/index' });
          return;
        }
        this.setData({ done: '已解除。' });
        await this.refresh();
      });
    },
  },
});
