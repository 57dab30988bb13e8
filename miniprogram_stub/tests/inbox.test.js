const { FakeServer, installWx, loadPage, tap, text, texts, loggedIn } = require('./helpers');

function entry(id, overrides = {}) {
  return {
    id, notice_id: id, title: `通知${id}`, body: '明天上午九点体检，请空腹。', category: '通知',
    urgent: false, withdrawn: false, link_page: null, for_retiree_id: 7, for_retiree_name: '张建国',
    is_copy: false, created_at: '2026-11-25T02:00:00Z', read_at: null, ...overrides,
  };
}

test('the inbox marks unread in words, pages back with before_id, and opens a notice', async () => {
  const server = new FakeServer();
  const first = Array.from({ length: 30 }, (_, i) => entry(100 - i, i === 1 ? { read_at: '2026-11-25T03:00:00Z' } : {}));
  server.on('GET', '/api/v1/inbox', (req) =>
    req.query.before_id ? { data: [entry(60, { urgent: true })], unread: 29 } : { data: first, unread: 29 },
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('inbox');
  expect(text(page, '.summary')).toBe('有 29 条还没看');
  const items = texts(page, '.notice-item');
  expect(items[0]).toContain('【新】通知100');
  expect(items[1]).not.toContain('【新】');
  await tap(page, '.more');
  expect(server.calls('GET', '/api/v1/inbox')[1].query).toEqual({ limit: '30', before_id: '71' });
  expect(texts(page, '.notice-item')[30]).toContain('【新】【紧急】通知60');
  await tap(page, '.notice-item');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/notice/notice?id=100' });
});

test('opening a notice marks it read and offers the page it links to', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/inbox/{id}', () => entry(100, { link_page: 'pages/checkin/checkin' }));
  server.on('POST', '/api/v1/inbox/{id}/read', () => entry(100, { read_at: '2026-11-25T04:00:00Z' }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('notice', { id: '100' });
  expect(server.calls('POST', '/api/v1/inbox/100/read')).toHaveLength(1);
  expect(text(page, '.body')).toBe('明天上午九点体检，请空腹。');
  expect(text(page, '.read')).toBe('✓ 已读');
  await tap(page, '.follow');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/checkin/checkin' });
});

test('a read notice is not marked again; a withdrawn one says so; unknown links are ignored', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/inbox/{id}', () =>
    entry(5, { read_at: '2026-11-25T03:00:00Z', withdrawn: true, link_page: 'https://evil.example' }),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('notice', { id: '5' });
  expect(server.calls('POST', '/api/v1/inbox/5/read')).toHaveLength(0);
  expect(text(page, '.card')).toContain('已撤回');
  expect(page.querySelector('.follow')).toBeFalsy();
});

test('a notice linking to a tab page (the bot) opens it with switchTab', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/inbox/{id}', () => entry(101, { link_page: 'pages/bot/bot' }));
  server.on('POST', '/api/v1/inbox/{id}/read', () => entry(101, { read_at: '2026-11-25T04:00:00Z' }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('notice', { id: '101' });
  await tap(page, '.follow');
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/bot/bot' });
  expect(wx.navigateTo).not.toHaveBeenCalled();
});
