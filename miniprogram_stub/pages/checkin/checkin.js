// 年度登记: one question at a time, each step saved as a draft on the server (a half-filled
// form survives closing the app), then a declaration and one submission (request_id makes a
// double tap or a retry count once). After that: the status, and staff's reasons if returned.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { choosePhoto } = require('../../utils/photo');
const { call, upload, newKey } = require('../../utils/request');

const STEPS = ['address', 'phone', 'party', 'trips', 'changes', 'care', 'confirm'];
const CARE = ['失能', '失智', '重病', '高龄', '独居', '空巢'];
const LABELS = {
  same_address: '是否仍住登记地址',
  new_address: '新地址',
  phone: '联系电话',
  party_life: '参加党组织生活',
  social_orgs: '社会团体任职或兼职',
  trips_abroad: '出国（境）情况',
  awards: '获得表彰奖励',
  discipline: '受到处分或违纪',
  marriage_change: '婚姻变化',
  household_change: '户籍变化',
  health_note: '身体情况',
  care_needs: '需要的照顾',
  photo: '照片',
};
const TEXT_FIELDS = [
  'new_address',
  'phone',
  'social_orgs',
  'awards',
  'discipline',
  'marriage_change',
  'household_change',
  'health_note',
];

function blankAnswers() {
  return {
    same_address: null,
    new_address: '',
    phone: '',
    party_life: null,
    social_orgs: '',
    trips_abroad: [],
    awards: '',
    discipline: '',
    marriage_change: '',
    household_change: '',
    health_note: '',
    care_needs: [],
  };
}

// What the server accepts: empty text as null, only the fields the form has.
function payload(answers) {
  const out = {};
  Object.keys(blankAnswers()).forEach((k) => {
    const v = answers[k];
    out[k] = TEXT_FIELDS.indexOf(k) >= 0 ? (v || '').trim() || null : v;
  });
  if (out.same_address) out.new_address = null;
  return out;
}

function reasonsList(reasons) {
  return Object.keys(reasons || {}).map((field) => ({
    field,
    label: LABELS[field] || field,
    reason: reasons[field],
  }));
}

Component({
  behaviors: [page],
  data: {
    state: null,
    acting: null,
    editing: false,
    step: 0,
    stepName: STEPS[0],
    stepCount: STEPS.length,
    answers: blankAnswers(),
    careChoices: CARE,
    careOn: {},
    trip: { destination: '', start_date: '', end_date: '', approved: null },
    declaration: false,
    reasons: [],
    saved: '',
  },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        const state = await call(api.checkin, { query: { retiree_id: acting.retiree_id } });
        this.show(state, acting);
      });
    },
    show(state, acting) {
      const answers = { ...blankAnswers(), ...(state.answers || {}) };
      const careOn = {};
      (answers.care_needs || []).forEach((c) => {
        careOn[c] = true;
      });
      this.setData({
        acting: acting || this.data.acting,
        state: {
          ...state,
          submittedWhen: fmt.dateTime(state.submitted_at),
          banner: fmt.keepPhones(state.banner),
          next_step: fmt.keepPhones(state.next_step),
        },
        answers,
        careOn,
        reasons: reasonsList(state.return_reasons),
        editing: false,
      });
    },
    start() {
      this.setData({ editing: true, step: 0, stepName: STEPS[0], saved: '', error: '' });
    },
    choose(e) {
      const { field, value } = e.currentTarget.dataset;
      this.setData({ [`answers.${field}`]: value === 'yes' });
    },
    toggleCare(e) {
      const c = e.currentTarget.dataset.c;
      const careOn = { ...this.data.careOn, [c]: !this.data.careOn[c] };
      this.setData({ careOn, 'answers.care_needs': CARE.filter((x) => careOn[x]) });
    },
    tripApproved(e) {
      this.setData({ 'trip.approved': e.currentTarget.dataset.value === 'yes' });
    },
    addTrip() {
      const t = this.data.trip;
      if (!t.destination.trim() || !t.start_date || !t.end_date || t.approved === null) {
        this.setData({ error: '请把去哪里、哪天走、哪天回、是否报备都填上，再点“加上这次”。' });
        return;
      }
      this.setData({
        'answers.trips_abroad': this.data.answers.trips_abroad.concat([
          { ...t, destination: t.destination.trim() },
        ]),
        trip: { destination: '', start_date: '', end_date: '', approved: null },
        error: '',
      });
    },
    removeTrip(e) {
      const i = Number(e.currentTarget.dataset.i);
      this.setData({
        'answers.trips_abroad': this.data.answers.trips_abroad.filter((_, k) => k !== i),
      });
    },
    saveDraft() {
      return call(api.checkinDraft, {
        data: { retiree_id: this.data.acting.retiree_id, answers: payload(this.data.answers) },
      });
    },
    moveTo(step) {
      this.setData({ step, stepName: STEPS[step], saved: '' });
    },
    next() {
      return this.guard(async () => {
        await this.saveDraft();
        this.moveTo(Math.min(this.data.step + 1, STEPS.length - 1));
        this.setData({ saved: '已保存，下次打开接着填。' });
      });
    },
    back() {
      this.moveTo(Math.max(this.data.step - 1, 0));
    },
    // An optional photo: the camera or the album, sent at once (JPG/PNG, checked by the server).
    photo() {
      return this.guard(async () => {
        const filePath = await choosePhoto();
        if (!filePath) return; // closed without choosing: nothing sent
        const state = await upload(api.checkinPhoto, {
          query: { retiree_id: this.data.acting.retiree_id },
          filePath,
        });
        this.setData({ 'state.has_photo': state.has_photo, saved: '照片传好了。' });
      });
    },
    toggleDeclaration() {
      this.setData({ declaration: !this.data.declaration });
    },
    submit() {
      if (!this.data.declaration) {
        this.setData({ error: '请先点“我承诺以上内容属实”，再提交。' });
        return undefined;
      }
      // One key per submission, kept until it succeeds: a retry cannot submit twice.
      this.submitKey = this.submitKey || newKey();
      return this.guard(async () => {
        const state = await call(api.checkinSubmit, {
          data: {
            retiree_id: this.data.acting.retiree_id,
            answers: payload(this.data.answers),
            declaration: true,
            request_id: this.submitKey,
          },
        });
        this.submitKey = null;
        this.show(state);
        this.setData({ declaration: false, saved: '已提交。工作人员审核后会发消息告诉您。' });
      });
    },
  },
});
