const { FakeServer, installWx, loadPage, flush, tap, text, texts, loggedIn, ME_FAMILY } = require('./helpers');

function state(overrides = {}) {
  return {
    retiree_id: 7, retiree_name: '张建国', eligible: true, enabled: true, due_time: '10:00',
    quiet_start: '21:00', quiet_end: '07:00', today: '2026-11-25', checked_in_at: null,
    checked_in_by: null, paused_today: false, pauses: [], can_check_in: true, can_change: true,
    next_step: '请在每天10:00前点一下“我今天挺好”。', ...overrides,
  };
}

function homeWith(safe) {
  const server = new FakeServer();
  server.on('GET', '/api/v1/safecheck', () => safe);
  return server;
}

describe('报平安 on the home page', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-25T00:30:00Z'));
  });
  afterEach(() => jest.restoreAllMocks());

  test('one tap says 我今天挺好 and then shows the time it came', async () => {
    const server = homeWith(state());
    server.on('POST', '/api/v1/safecheck/checkin', (req) =>
      state({ retiree_id: req.data.retiree_id, checked_in_at: '2026-11-25T00:30:00Z', checked_in_by: '本人', can_check_in: true }),
    );
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('index');
    expect(text(page, '.im-fine')).toBe('我今天挺好');
    expect(text(page, '.safecheck')).toContain('请在10:00前点一下');
    await tap(page, '.im-fine');
    expect(server.calls('POST', '/api/v1/safecheck/checkin')[0].data).toEqual({ retiree_id: 7 });
    expect(text(page, '.safe-today')).toBe('今天上午 8:30已报平安');
    expect(page.querySelector('.im-fine')).toBeFalsy();
  });

  test('nothing is shown to someone who has it off and cannot have it', async () => {
    const wx = installWx(homeWith(state({ enabled: false, eligible: false, can_check_in: false })));
    loggedIn(wx);
    const page = await loadPage('index');
    expect(page.querySelector('.safecheck')).toBeFalsy();
  });

  test('a page without the 报平安 answer still shows the rest', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/inbox', () => ({ data: [], unread: 2 }));
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('index');
    expect(page.querySelector('.safecheck')).toBeFalsy();
    expect(text(page, '.unread-notices')).toContain('有 2 条消息还没看');
  });

  test('family see whether it came, with no button to press for the retiree', async () => {
    const server = homeWith(state({ can_check_in: false, can_change: false, next_step: '老人每天10:00前在小程序点一下就好。' }));
    const wx = installWx(server);
    loggedIn(wx, ME_FAMILY);
    const page = await loadPage('index');
    expect(page.querySelector('.im-fine')).toBeFalsy();
    expect(text(page, '.not-yet')).toBe('今天还没报平安');
    expect(page.querySelector('.safecheck-settings')).toBeFalsy();
  });
});

describe('报平安 settings', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-25T00:30:00Z'));
  });
  afterEach(() => jest.restoreAllMocks());

  test('turning it on sends the chosen time and quiet hours', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/safecheck', () => state({ enabled: false }));
    server.on('PUT', '/api/v1/safecheck/plan', (req) => state({ due_time: req.data.due_time }));
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('safecheck');
    expect(text(page, '.save')).toBe('开通报平安');
    page.querySelector('.due-time').dispatchEvent('change', { detail: { value: '09:30' } });
    await flush();
    await tap(page, '.save');
    expect(server.calls('PUT', '/api/v1/safecheck/plan')[0].data).toEqual({
      retiree_id: 7, enabled: true, due_time: '09:30', quiet_start: '21:00', quiet_end: '07:00',
    });
    expect(text(page, '.done')).toContain('每天09:30前');
  });

  test('turning it off asks once, plainly', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/safecheck', () => state());
    server.on('PUT', '/api/v1/safecheck/plan', () => state({ enabled: false }));
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('safecheck');
    await tap(page, '.turn-off');
    expect(wx.showModal.mock.calls[0][0].content).toContain('确定关闭吗');
    expect(server.calls('PUT', '/api/v1/safecheck/plan')[0].data.enabled).toBe(false);
    expect(text(page, '.done')).toBe('已关闭报平安。');
  });

  test('a trip away is a pause with a return day; back home ends it', async () => {
    const server = new FakeServer();
    let pauses = [];
    server.on('GET', '/api/v1/safecheck', () => state({ pauses }));
    server.on('POST', '/api/v1/safecheck/pauses', () => {
      pauses = [{ id: 3, kind: '外出', text: '外出：11月25日到11月28日', current: true }];
      return state({ pauses, paused_today: true });
    });
    server.on('DELETE', '/api/v1/safecheck/pauses/{id}', () => state({ pauses: [] }));
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('safecheck');
    page.querySelector('.ends-on').dispatchEvent('change', { detail: { value: '2026-11-28' } });
    await flush();
    await tap(page, '.add-pause');
    expect(server.calls('POST', '/api/v1/safecheck/pauses')[0].data).toEqual({
      retiree_id: 7, kind: '外出', starts_on: '2026-11-25', ends_on: '2026-11-28',
    });
    expect(texts(page, '.pause .text')).toEqual(['外出：11月25日到11月28日']);
    await tap(page, '.end-pause');
    const ended = server.calls('DELETE', '/api/v1/safecheck/pauses/3')[0];
    expect(ended.query).toEqual({ retiree_id: '7' });
    expect(text(page, '.done')).toContain('欢迎回来');
  });

  test('a hospital stay needs no return day', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/safecheck', () => state());
    server.on('POST', '/api/v1/safecheck/pauses', () => state());
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('safecheck');
    const chips = page.querySelectorAll('.kind');
    chips[1].dispatchEvent('tap');
    await flush();
    expect(page.querySelector('.ends-on')).toBeFalsy();
    await tap(page, '.add-pause');
    expect(server.calls('POST', '/api/v1/safecheck/pauses')[0].data).toEqual({
      retiree_id: 7, kind: '住院', starts_on: '2026-11-25',
    });
  });

  test('family without the right see the settings but no buttons', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/safecheck', () => state({ can_change: false, can_check_in: false }));
    const wx = installWx(server);
    loggedIn(wx, ME_FAMILY);
    const page = await loadPage('safecheck');
    expect(text(page, '.status-on')).toBe('报平安已开通：每天10:00前');
    expect(page.querySelector('.save')).toBeFalsy();
    expect(page.querySelector('.add-pause')).toBeFalsy();
  });
});
