const { FakeServer, installWx, loadPage, tap, input, text, texts, loggedIn } = require('./helpers');

function answer(overrides = {}) {
  return {
    answer: '每年体检一次。', answered: true, confidence: 0.9, intent: null,
    sources: [{ doc_id: 'jl', clause: '第二十条', title: '吉林省军休干部服务管理办法', excerpt: '每年组织一次健康体检。' }],
    suggestions: ['体检在哪里做', '体检要空腹吗'], handoff_offered: false, ...overrides,
  };
}

test('an answer shows its source and suggestion chips; a chip asks again', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () => answer());
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await input(page, '.question', '体检多久一次');
  await tap(page, '.send');
  expect(server.calls('POST', '/api/v1/bot/ask')[0].data).toEqual({ question: '体检多久一次' });
  const messages = texts(page, '.msg');
  expect(messages[0]).toContain('我问：体检多久一次');
  expect(messages[1]).toContain('每年体检一次。');
  expect(text(page, '.source')).toContain('依据：吉林省军休干部服务管理办法 第二十条');
  expect(texts(page, '.suggestion')).toEqual(['体检在哪里做', '体检要空腹吗']);
  await tap(page, '.suggestion');
  expect(server.calls('POST', '/api/v1/bot/ask')[1].data).toEqual({ question: '体检在哪里做' });
});

test('an intent offers its page', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () =>
    answer({ answer: '好的，带您去订餐页面。', intent: 'meal', sources: [], suggestions: [] }),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await input(page, '.question', '我要订午饭');
  await tap(page, '.send');
  expect(text(page, '.open-target')).toBe('去订餐');
  await tap(page, '.open-target');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/meals/meals' });
});

test('the notice intent switches to the inbox tab', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () => answer({ intent: 'notice', sources: [] }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await input(page, '.question', '有新通知吗');
  await tap(page, '.send');
  await tap(page, '.open-target');
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/inbox/inbox' });
});

test('找工作人员 hands the last question to staff and shows their reply', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () =>
    answer({ answer: '这个问题我答不上来。', answered: false, sources: [], handoff_offered: true }),
  );
  server.on('POST', '/api/v1/bot/handoff', () => ({
    id: 3, message: '已转给工作人员，他们会尽快回复您，回复会出现在“消息”里。',
  }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await tap(page, '.handoff');
  expect(text(page, '.error')).toContain('请先在下面写下您想问的事');
  await input(page, '.question', '我的医药费怎么报');
  await tap(page, '.send');
  await tap(page, '.handoff-offer');
  expect(server.calls('POST', '/api/v1/bot/handoff')[0].data).toEqual({ question: '我的医药费怎么报' });
  expect(texts(page, '.msg').pop()).toContain('已转给工作人员');
});

test('my questions to staff are listed with the staff answer', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/bot/questions', () => [
    { id: 3, at: '2026-11-24T02:00:00Z', question: '我的医药费怎么报', status: '已回复', staff_answer: '请带发票到所里。', answered_at: '2026-11-24T06:00:00Z' },
    { id: 4, at: '2026-11-25T02:00:00Z', question: '暖气费补贴', status: '等待回复', staff_answer: null, answered_at: null },
  ]);
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await tap(page, '.show-asked');
  const rows = texts(page, '.asked');
  expect(rows[0]).toContain('我的医药费怎么报');
  expect(rows[0]).toContain('工作人员回复：请带发票到所里。');
  expect(rows[1]).toContain('等待回复');
});
