// A survey from the centre: one question after another with big buttons (单选, 1–5 分, 满意度)
// or a box to write in, then 交问卷 (once). Opened from the notice (id in the link); without an
// id it lists the open surveys and the meals and rides waiting for a 满意/基本满意/不满意.
const api = require('../../utils/api');
const auth = require('../../utils/auth');
const fmt = require('../../utils/format');
const page = require('../../utils/page');
const { call } = require('../../utils/request');

const STARS = [1, 2, 3, 4, 5].map((n) => ({ value: n, label: `${n}分` }));

function choices(q) {
  if (q.kind === '打分') return STARS;
  return q.options.map((label, value) => ({ value, label }));
}

Component({
  behaviors: [page],
  data: { acting: null, survey: null, answers: [], surveys: [], ratings: [], done: '' },
  methods: {
    onLoad(query) {
      this.surveyId = Number((query || {}).id) || 0;
      return this.load();
    },
    load() {
      return this.guard(async () => {
        const acting = await auth.requireActing();
        if (!acting) return;
        const query = { retiree_id: acting.retiree_id };
        if (this.surveyId) {
          const survey = await call(api.survey, { params: { survey_id: this.surveyId }, query });
          this.show(acting, survey);
          return;
        }
        const [mine, pending] = await Promise.all([
          call(api.surveys, { query }),
          call(api.pendingRatings, { query }),
        ]);
        this.setData({
          acting,
          surveys: mine.data.map((s) => ({ ...s, closes: fmt.dateTime(s.closes_at) })),
          ratings: pending.data
            .filter((r) => r.source === 'meal' || r.source === 'ride')
            .map((r) => ({
              ...r,
              key: `${r.source}-${r.source_id}`,
              url: `/pages/rate/rate?source=${r.source}&id=${r.source_id}&retiree_id=${r.retiree_id}`,
            })),
        });
      });
    },
    show(acting, survey) {
      const answers = this.data.answers.length ? this.data.answers : survey.questions.map(() => null);
      this.setData({
        acting,
        answers: survey.answers || answers,
        survey: {
          ...survey,
          closes: fmt.dateTime(survey.closes_at),
          questions: survey.questions.map((q) => ({ ...q, choices: choices(q) })),
        },
      });
    },
    pick(e) {
      const { q, v } = e.currentTarget.dataset;
      this.setData({ [`answers[${q}]`]: Number(v) });
    },
    onText(e) {
      this.setData({ [`answers[${e.currentTarget.dataset.q}]`]: e.detail.value });
    },
    submit() {
      const answers = this.data.answers.map((a) => (a === '' ? null : a));
      if (answers.every((a) => a === null || a === undefined)) {
        this.setData({ error: '还一道题都没有答。请按一下您的选择，再点“交问卷”。' });
        return undefined;
      }
      return this.guard(async () => {
        const survey = await call(api.answerSurvey, {
          params: { survey_id: this.surveyId },
          data: { retiree_id: this.data.acting.retiree_id, answers: answers.map((a) => (a === undefined ? null : a)) },
        });
        this.show(this.data.acting, survey);
        this.setData({ done: '交好了，谢谢！您的意见所里都会看。' });
      });
    },
  },
});
