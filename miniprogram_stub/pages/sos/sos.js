// 紧急求助: sends the alert (when opened from the home button, already confirmed there), then
// says in plain words what is happening. No timer on the page (the 适老化 rule): it asks again
// each time it is shown (back from a phone call) and when 「看看现在怎么样了」 is tapped; the
// retiree is also told by a notice when staff have seen it. The way to 120 is always on top.
// Location only if the user allows it, and never waits long: refusing or a slow fix sends the
// alert without it.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');
const sos = require('../../utils/sos');

Component({
  behaviors: [page],
  data: {
    acting: null,
    alert: null,
    contacts: [],
    canEdit: false,
    sending: false,
    words120: sos.CALL_120,
  },
  methods: {
    onLoad(query) {
      if (query && query.raise === '1') return this.send();
      return this.load();
    },
    show(state) {
      const alert = state ? { ...state, when: fmt.dateTime(state.raised_at) } : null;
      this.setData({ alert });
    },
    async loadContacts(retireeId) {
      try {
        const held = await call(api.sosContacts, { query: { retiree_id: retireeId } });
        this.setData({ contacts: held.contacts, canEdit: held.can_edit });
      } catch (err) {
        // The contacts are a help, not the point: the status stays on screen.
      }
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        this.setData({ acting });
        const current = await call(api.sosCurrent, { query: { retiree_id: acting.retiree_id } });
        this.show(current.alert);
        await this.loadContacts(acting.retiree_id);
      });
    },
    refresh() {
      return this.load();
    },
    async raise() {
      if (!(await this.confirm(sos.question(this.data.acting), sos.CONFIRM))) return undefined;
      return this.send();
    },
    send() {
      this.setData({ sending: true });
      return this.guard(async () => {
        try {
          const acting = await auth.requireActing();
          if (!acting) return;
          this.setData({ acting });
          const place = await sos.location();
          const state = await call(api.sosRaise, {
            data: { retiree_id: acting.retiree_id, ...place },
          });
          this.show(state);
          await this.loadContacts(acting.retiree_id);
        } finally {
          this.setData({ sending: false });
        }
      });
    },
    call120() {
      wx.makePhoneCall({ phoneNumber: '120' });
    },
  },
});
