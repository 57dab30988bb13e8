const {
  FakeServer,
  installWx,
  loadPage,
  flush,
  tap,
  text,
  texts,
  loggedIn,
  ME_FAMILY,
} = require('./helpers');

function homeServer() {
  const server = new FakeServer();
  server.on('GET', '/api/v1/checkin', (req) => ({
    retiree_id: Number(req.query.retiree_id),
    retiree_name: '张建国',
    campaign: { id: 1, year: 2027, unit_id: 1, opens_on: '2027-01-01', closes_on: '2027-03-31', is_open: true },
    status: '未提交',
    status_code: 'none',
    banner: '2027年的年度登记还没做',
    answers: {},
    return_reasons: {},
    talk_note: null,
    submitted_at: null,
    submitted_by: null,
    has_photo: false,
    can_edit: true,
    can_submit: true,
    next_step: '请在3月31日前填好提交。',
  }));
  server.on('GET', '/api/v1/bookings', (req) =>
    req.query.retiree_id === '7'
      ? [
          {
            id: 5, bookable_id: 3, kind: 'activity', title: '书法班', starts_at: '2026-11-27T01:30:00Z',
            retiree_id: 7, retiree_name: '张建国', quantity: 1, notes: null, status: '已报名', status_label: '已报名',
            status_code: 'confirmed', waitlist_position: null, booked_by: '本人', can_cancel: true,
            attended: null, rating: null,
          },
          {
            id: 4, bookable_id: 2, kind: 'activity', title: '旧的讲座', starts_at: '2020-01-01T01:30:00Z',
            retiree_id: 7, retiree_name: '张建国', quantity: 1, notes: null, status: '已报名', status_label: '已报名',
            status_code: 'confirmed', waitlist_position: null, booked_by: '本人', can_cancel: false,
            attended: true, rating: null,
          },
        ]
      : [],
  );
  server.on('GET', '/api/v1/inbox', () => ({ data: [], unread: 3 }));
  server.on('GET', '/api/v1/meals/orders', () => ({ data: [], count: 0 }));
  server.on('GET', '/api/v1/rides', () => ({ data: [], count: 0 }));
  return server;
}

describe('home', () => {
  beforeEach(() => {
    // "Today" for the page is fixed, so the test does not age.
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-25T02:00:00Z'));
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('logs in silently, then shows check-in, next activity and unread notices', async () => {
    const server = homeServer();
    const wx = installWx(server);
    const page = await loadPage('index');
    expect(wx.login).toHaveBeenCalledTimes(1);
    expect(server.calls('POST', '/api/v1/auth/wechat')[0].data).toEqual({ code: 'wx-code-1' });
    expect(wx.getStorageSync('junxiu.token')).toBe('tok-1');
    expect(text(page, '.checkin')).toContain('2027年的年度登记还没做');
    expect(text(page, '.next-activity')).toContain('书法班');
    expect(text(page, '.next-activity')).toContain('11月27日（周五）上午 9:30');
    expect(text(page, '.next-activity')).not.toContain('旧的讲座');
    expect(text(page, '.notices')).toContain('有 3 条消息还没看');
    const checkinCall = server.calls('GET', '/api/v1/checkin')[0];
    expect(checkinCall.query).toEqual({ retiree_id: '7' });
    expect(checkinCall.header.Authorization).toBe('Bearer tok-1');
    expect(page.dom.querySelector('wx-page-meta')).toBeTruthy();
    expect(page.data.rootFontSize).toBe('18px');
  });

  test("text follows WeChat's font size and the 字号 setting", async () => {
    const wx = installWx(homeServer());
    wx.getAppBaseInfo.mockReturnValue({ fontSizeScaleFactor: 1.4 });
    wx.setStorageSync('junxiu.textSize', 'larger');
    const page = await loadPage('index');
    expect(page.data.rootFontSize).toBe(`${Math.round(18 * 1.4 * 1.3)}px`);
  });

  test('the big 问政策 button opens the bot tab', async () => {
    const wx = installWx(homeServer());
    const page = await loadPage('index');
    await tap(page, '.ask');
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/bot/bot' });
  });

  test('an unbound user is sent to binding', async () => {
    const server = homeServer();
    server.me = { wechat_user_id: 3, bound: false, roles: [], retiree: null, following: [] };
    const wx = installWx(server);
    await loadPage('index');
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/bind/bind' });
    expect(server.calls('GET', '/api/v1/checkin')).toHaveLength(0);
  });

  test('a family member switches between the retirees they follow', async () => {
    const server = homeServer();
    server.me = ME_FAMILY;
    const wx = installWx(server);
    loggedIn(wx, ME_FAMILY);
    const page = await loadPage('index');
    const chooser = page.querySelector('#switch');
    expect(texts(chooser, '.chip')).toEqual(['✓ 正在看：张建国（子女）', '李秀兰（子女）']);
    expect(text(page, '.next-activity')).toContain('书法班');
    chooser.querySelectorAll('.chip')[1].dispatchEvent('tap');
    await flush();
    expect(wx.getStorageSync('junxiu.acting')).toBe(8);
    expect(server.calls('GET', '/api/v1/bookings').map((r) => r.query.retiree_id)).toEqual(['7', '8']);
    expect(text(page, '.next-activity')).toContain('最近没有报名的活动');
    expect(text(page, '.h1')).toBe('李秀兰的事');
  });

  test('the family of someone who has died see the centre\'s help, not bookings', async () => {
    const server = homeServer();
    server.on('GET', '/api/v1/contact/call', () => ({ who: '值班的张敏', phone: '0431-88886666' }));
    const gone = { ...ME_FAMILY.following[0], deceased: true, died_on: '2026-11-20' };
    server.me = { ...ME_FAMILY, following: [gone, ME_FAMILY.following[1]] };
    const wx = installWx(server);
    loggedIn(wx, ME_FAMILY); // stored before the death was recorded: the page asks again
    const page = await loadPage('index');
    expect(text(page, '.sorrow-home')).toContain('张建国同志于11月20日（周五）去世');
    expect(page.querySelector('.next-activity')).toBeFalsy();
    expect(page.querySelector('.sos')).toBeFalsy();
    expect(page.querySelector('.safecheck')).toBeFalsy();
    expect(text(page, '.unread-notices')).toContain('有 3 条消息还没看');
    expect(server.calls('GET', '/api/v1/bookings')).toHaveLength(0);
    page.querySelector('.survivor').dispatchEvent('tap');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/survivor/survivor?retiree_id=7' });
    // The other person they follow is alive: the usual home.
    page.querySelector('#switch').querySelectorAll('.chip')[1].dispatchEvent('tap');
    await flush();
    expect(page.querySelector('.sorrow-home')).toBeFalsy();
    expect(text(page, '.h1')).toBe('李秀兰的事');
  });

  test('an expired token logs in again silently and the page still loads', async () => {
    const server = homeServer();
    const wx = installWx(server);
    loggedIn(wx, undefined, 'old-token');
    server.token = 'tok-2';
    const real = server.handle.bind(server);
    server.handle = (opts) =>
      opts.header && opts.header.Authorization === 'Bearer old-token'
        ? { statusCode: 401, data: { code: 'unauthorized', message: '请先登录。' } }
        : real(opts);
    const page = await loadPage('index');
    expect(wx.login).toHaveBeenCalledTimes(1);
    expect(wx.getStorageSync('junxiu.token')).toBe('tok-2');
    expect(text(page, '.next-activity')).toContain('书法班');
    expect(page.querySelector('.error')).toBeFalsy();
  });
});

// What the screenshots showed (var/screens): a waiting-list place hid behind the next confirmed
// activity, the check-in button said 去办 when staff had returned it, and 问政策 sat above
// everything that needed doing.
describe('home, as the screenshots asked', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-25T02:00:00Z'));
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  function laterServer() {
    const server = homeServer();
    server.on('GET', '/api/v1/bookings', () => [
      {
        id: 5, kind: 'activity', title: '书法班', starts_at: '2026-11-27T01:30:00Z', retiree_name: '张建国',
        quantity: 1, notes: null, status: '已报名', status_label: '已报名', status_code: 'confirmed', waitlist_position: null,
        can_cancel: true, attended: null, rating: null,
      },
      {
        id: 6, kind: 'activity', title: '冬至包饺子', starts_at: '2026-12-21T01:00:00Z', retiree_name: '张建国',
        quantity: 1, notes: null, status: '候补中', status_label: '候补中', status_code: 'waitlisted', waitlist_position: 1,
        can_cancel: true, attended: null, rating: null,
      },
    ]);
    server.on('GET', '/api/v1/checkin', (req) => ({
      retiree_id: Number(req.query.retiree_id), retiree_name: '张建国',
      campaign: { year: 2026, closes_on: '2026-12-25', is_open: true },
      status: '退回需补正', status_code: 'returned', banner: '年度登记需要改一下', answers: {},
      return_reasons: { phone: '电话打不通' }, talk_note: null, submitted_at: null, submitted_by: null,
      has_photo: false, can_edit: true, can_submit: true,
      next_step: '改好后再点“提交”。如有困难请拨打010-64210001。',
    }));
    return server;
  }

  test('every coming activity shows, its status first, the waiting list with its place', async () => {
    installWx(laterServer());
    const page = await loadPage('index');
    const rows = texts(page, '.next-activity .booking');
    expect(rows).toHaveLength(2);
    expect(rows[0].startsWith('✓ 已报名')).toBe(true);
    expect(rows[1].startsWith('候补中，排第1位')).toBe(true);
    expect(rows[1]).toContain('冬至包饺子');
  });

  test('a returned check-in says 去改正, and its phone number does not break', async () => {
    installWx(laterServer());
    const page = await loadPage('index');
    expect(text(page, '.go-checkin')).toBe('去改正年度登记');
    expect(text(page, '.checkin')).toContain('010\u2060-\u206064210001');
  });

  test('what needs doing comes before 问政策: the check-in, then unread messages', async () => {
    installWx(laterServer());
    const page = await loadPage('index');
    const order = page.dom.querySelector('.main--page').children;
    const names = Array.from(order).map((el) => el.className);
    const at = (cls) => names.findIndex((n) => n.indexOf(`main--${cls}`) >= 0);
    expect(at('checkin')).toBeLessThan(at('unread-notices'));
    expect(at('unread-notices')).toBeLessThan(at('next-activity'));
    expect(at('next-activity')).toBeLessThan(at('ask'));
  });

  test('a section that did not load does not say nothing is booked', async () => {
    const server = laterServer();
    server.on('GET', '/api/v1/meals/orders', () => FakeServer.reply(502, '<html>bad gateway</html>'));
    server.on('GET', '/api/v1/rides', () => FakeServer.NETWORK);
    installWx(server);
    const page = await loadPage('index');
    expect(text(page, '.next-meal')).not.toContain('还没有订餐');
    expect(text(page, '.next-meal')).toContain('没有打开');
    expect(text(page, '.next-ride')).not.toContain('没有要用的车');
    expect(text(page, '.next-activity')).toContain('冬至包饺子');
  });
});
