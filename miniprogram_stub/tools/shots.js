// Which pages, in which states, at which font sizes `make screenshots` renders.
// scene: a recording scene of tools/record_demo.py (retiree, retiree_later, retiree_sos, family,
// empty, unbound, family_bereaved); network: 'down' (no connection) or 'proxy-error' (a gateway's HTML error page).
// FONTS: WeChat's standard font, and its largest font / 关怀模式 (fontSizeScaleFactor 1.4).
const FONTS = [
  { key: 'standard', scale: 1 },
  { key: 'large', scale: 1.4 },
];

function activityId(title) {
  return (scene) => {
    const key = Object.keys(scene.responses).find((k) => /^GET \/api\/v1\/activities\?/.test(k));
    const list = scene.responses[key].body.data;
    return { id: String(list.find((a) => a.title.indexOf(title) >= 0).id) };
  };
}

function firstNotice(scene) {
  const inbox = scene.responses['GET /api/v1/inbox?limit=30'].body;
  return { id: String(inbox.data[0].id) };
}

function firstSurvey(scene) {
  const key = Object.keys(scene.responses).find((k) => /^GET \/api\/v1\/satisfaction\/surveys\?/.test(k));
  return { id: String(scene.responses[key].body.data[0].id) };
}

function firstRating(scene) {
  const key = Object.keys(scene.responses).find((k) => /^GET \/api\/v1\/satisfaction\/ratings\/pending/.test(k));
  const item = scene.responses[key].body.data[0];
  return { source: item.source, id: String(item.source_id), retiree_id: String(item.retiree_id) };
}

const SHOTS = [
  { page: 'index', state: 'loaded', scene: 'retiree' },
  { page: 'index', state: 'returned-waitlist', scene: 'retiree_later' },
  { page: 'index', state: 'family', scene: 'family' },
  { page: 'index', state: 'empty', scene: 'empty' },
  { page: 'index', state: 'offline', scene: 'retiree', network: 'down' },
  { page: 'index', state: 'server-error', scene: 'retiree', network: 'proxy-error' },
  { page: 'bind', state: 'start', scene: 'unbound' },
  {
    page: 'bind',
    state: 'retiree-form',
    scene: 'unbound',
    steps: (p, h) => h.tap(p, '.mode-retiree'),
  },
  {
    page: 'bind',
    state: 'short-code',
    scene: 'unbound',
    steps: async (p, h) => {
      await h.tap(p, '.mode-retiree');
      await h.input(p, '.code', '１２３４５');
      await h.input(p, '.id-tail', '1234');
      await h.tap(p, '.submit');
    },
  },
  {
    page: 'bind',
    state: 'wrong-code',
    scene: 'unbound',
    steps: async (p, h) => {
      await h.tap(p, '.mode-retiree');
      await h.input(p, '.code', '０００ ０００');
      await h.input(p, '.id-tail', '0000');
      await h.tap(p, '.submit');
    },
  },
  { page: 'bind', state: 'family-form', scene: 'unbound', steps: (p, h) => h.tap(p, '.mode-family') },
  { page: 'inbox', state: 'loaded', scene: 'retiree' },
  { page: 'inbox', state: 'empty', scene: 'empty' },
  { page: 'notice', state: 'loaded', scene: 'retiree', query: firstNotice },
  { page: 'bot', state: 'start', scene: 'retiree' },
  {
    page: 'bot',
    state: 'answered',
    scene: 'retiree',
    steps: (p, h) => h.tap(p, '.suggestion'),
  },
  { page: 'settings', state: 'loaded', scene: 'retiree' },
  { page: 'checkin', state: 'open', scene: 'retiree' },
  { page: 'checkin', state: 'returned', scene: 'retiree_later' },
  { page: 'checkin', state: 'form', scene: 'retiree', steps: (p, h) => h.tap(p, '.start') },
  { page: 'checkin', state: 'empty', scene: 'empty' },
  { page: 'activities', state: 'loaded', scene: 'retiree' },
  {
    page: 'activities',
    state: 'mine-waitlist',
    scene: 'retiree_later',
    steps: (p, h) => h.tap(p, '.tab-mine'),
  },
  { page: 'activities', state: 'empty', scene: 'empty' },
  { page: 'activities', state: 'offline', scene: 'retiree', network: 'down' },
  { page: 'activity', state: 'open', scene: 'retiree', query: activityId('健康讲座') },
  { page: 'activity', state: 'booked', scene: 'retiree', query: activityId('书法班') },
  { page: 'activity', state: 'full', scene: 'retiree', query: activityId('饺子') },
  { page: 'activity', state: 'waitlisted', scene: 'retiree_later', query: activityId('饺子') },
  { page: 'activity', state: 'checkup', scene: 'retiree', query: activityId('健康体检') },
  { page: 'meals', state: 'loaded', scene: 'retiree' },
  { page: 'meals', state: 'empty', scene: 'empty' },
  { page: 'standing', state: 'loaded', scene: 'retiree' },
  { page: 'rides', state: 'loaded', scene: 'retiree' },
  { page: 'rides', state: 'empty', scene: 'empty' },
  { page: 'ride-new', state: 'form', scene: 'retiree' },
  { page: 'family', state: 'loaded', scene: 'retiree' },
  { page: 'safecheck', state: 'loaded', scene: 'retiree' },
  { page: 'safecheck', state: 'family', scene: 'family' },
  { page: 'care', state: 'loaded', scene: 'retiree' },
  { page: 'care', state: 'family', scene: 'family' },
  { page: 'care', state: 'empty', scene: 'empty' },
  { page: 'sos', state: 'none', scene: 'retiree' },
  { page: 'sos', state: 'raised', scene: 'retiree_sos' },
  { page: 'sos', state: 'family', scene: 'family' },
  { page: 'sos-contacts', state: 'loaded', scene: 'retiree_sos' },
  { page: 'sos-contacts', state: 'empty', scene: 'retiree' },
  { page: 'survey', state: 'list', scene: 'retiree' },
  { page: 'survey', state: 'open', scene: 'retiree', query: firstSurvey },
  { page: 'survey', state: 'empty', scene: 'empty' },
  { page: 'rate', state: 'ask', scene: 'retiree', query: firstRating },
  { page: 'matters', state: 'loaded', scene: 'retiree' },
  { page: 'matters', state: 'empty', scene: 'empty' },
  {
    page: 'matters',
    state: 'trip-form',
    scene: 'retiree',
    steps: async (p, h) => {
      await h.tap(p, '.new');
      await h.tap(p, '.kind');
    },
  },
  { page: 'survivor', state: 'none', scene: 'family' },
  { page: 'claims', state: 'list', scene: 'retiree' },
  { page: 'claims', state: 'send', scene: 'retiree', steps: async (p, h) => h.tap(p, '.new') },
  { page: 'health', state: 'loaded', scene: 'retiree' },
  { page: 'health', state: 'family', scene: 'family' },
  { page: 'health', state: 'empty', scene: 'empty' },
  { page: 'cases', state: 'list', scene: 'retiree' },
  { page: 'cases', state: 'write', scene: 'retiree', steps: async (p, h) => h.tap(p, '.new') },
  { page: 'cases', state: 'box', scene: 'retiree', steps: async (p, h) => h.tap(p, '.box') },
  { page: 'cases', state: 'empty', scene: 'empty' },
  { page: 'index', state: 'bereaved', scene: 'family_bereaved' },
  { page: 'survivor', state: 'case', scene: 'family_bereaved' },
];

module.exports = { SHOTS, FONTS };
