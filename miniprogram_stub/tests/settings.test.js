const { FakeServer, installWx, loadPage, tap, tapNth, text, loggedIn } = require('./helpers');

function prefs(overrides = {}) {
  return {
    wechat_categories: ['通知', '活动', '政策', '温馨提示'], quiet_start: '21:00', quiet_end: '07:30',
    balances: {}, ...overrides,
  };
}

test('字号 changes the root font size at once and is remembered', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/notices/preferences', () => prefs());
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('settings');
  expect(page.data.rootFontSize).toBe('18px');
  await tapNth(page, '.size', 2);
  expect(page.data.rootFontSize).toBe('23px');
  expect(wx.getStorageSync('junxiu.textSize')).toBe('larger');
  expect(text(page, '.size.on')).toBe('✓ 特大');
});

test('WeChat reminders: consent asked on a tap, the result recorded on the server', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/notices/preferences', () => prefs());
  server.on('POST', '/api/v1/notices/subscriptions', () => prefs({ balances: { notice: 1 } }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('settings');
  expect(wx.requestSubscribeMessage).not.toHaveBeenCalled();
  expect(text(page, '.remaining')).toContain('现在收不到微信提醒');
  await tap(page, '.subscribe');
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['tmpl-notice-demo']);
  expect(server.calls('POST', '/api/v1/notices/subscriptions')[0].data).toEqual({
    results: { 'tmpl-notice-demo': 'accept' },
  });
  expect(text(page, '.remaining')).toBe('还能收到 1 条微信提醒。');
});

test('categories and quiet hours are saved', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/notices/preferences', () => prefs());
  server.on('PUT', '/api/v1/notices/preferences', (req) => prefs(req.data));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('settings');
  await tapNth(page, '.category', 1);
  page.querySelector('.quiet-start').dispatchEvent('change', { detail: { value: '20:00' } });
  await tap(page, '.save');
  expect(server.calls('PUT', '/api/v1/notices/preferences')[0].data).toEqual({
    wechat_categories: ['通知', '政策', '温馨提示'], quiet_start: '20:00', quiet_end: '07:30',
  });
  expect(text(page, '.saved')).toBe('已保存。');
});
