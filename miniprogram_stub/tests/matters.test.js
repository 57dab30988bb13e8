const { FakeServer, installWx, loadPage, tap, text, texts, input, loggedIn } = require('./helpers');

function matter(overrides = {}) {
  return {
    id: 3, retiree_id: 7, kind: '出国(境)', flow: '审批', status: 'submitted',
    headline: '已提交，等所里处理', next_step: '请等所里签署意见，最晚3月16日前办完审批。',
    lines: [['去哪里', '日本'], ['护照号码', '****5678']], submitted_at: '2026-03-02T02:00:00Z',
    due_at: '2026-03-16T16:00:00Z', decided_at: null, decision_note: null, can_withdraw: true,
    can_report_return: false, can_report_quarter: false, steps: [], ...overrides,
  };
}

function serverWith(list) {
  const server = new FakeServer();
  server.on('GET', '/api/v1/matters', () => ({ data: list, count: list.length, kinds: [] }));
  return server;
}

test('the list shows each matter in plain words and its next step', async () => {
  const wx = installWx(serverWith([matter()]));
  loggedIn(wx);
  const page = await loadPage('matters');
  expect(text(page, '.matter .headline')).toBe('已提交，等所里处理');
  expect(texts(page, '.matter .line')).toEqual(['去哪里：日本', '护照号码：****5678']);
  expect(text(page, '.matter .next')).toContain('3月16日前');
  expect(page.querySelector('.withdraw')).toBeTruthy();
  expect(page.querySelector('.back-home')).toBeFalsy();
});

test('a trip abroad: pick the kind, fill its own boxes, a missing one is said first', async () => {
  const server = serverWith([]);
  server.on('POST', '/api/v1/matters', () => matter());
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('matters');
  expect(text(page, '.none')).toBe('还没有报告过事项。');
  await tap(page, '.new');
  await tap(page, '.kind');
  await input(page, '#f-destination', '日本');
  await tap(page, '.submit');
  expect(text(page, '.error')).toBe('请填写：哪天出发。');
  expect(server.calls('POST', '/api/v1/matters')).toHaveLength(0);
  page.querySelector('#f-depart_on').dispatchEvent('change', { detail: { value: '2026-04-10' } });
  page.querySelector('#f-return_on').dispatchEvent('change', { detail: { value: '2026-04-20' } });
  await input(page, '#f-purpose', '探亲');
  await input(page, '#f-passport_no', 'E12345678');
  await tap(page, '.submit');
  expect(server.calls('POST', '/api/v1/matters')[0].data).toEqual({
    retiree_id: 7,
    kind: '出国(境)',
    destination: '日本',
    depart_on: '2026-04-10',
    return_on: '2026-04-20',
    purpose: '探亲',
    passport_no: 'E12345678',
  });
  expect(text(page, '.done')).toContain('已提交');
});

test('back from abroad: one tap with today, and the quarterly 近况', async () => {
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-06-15T02:00:00Z'));
  const away = matter({ status: 'acknowledged', headline: '所里已收到并登记', can_withdraw: false,
    can_report_return: true, can_report_quarter: true });
  const server = serverWith([away]);
  server.on('POST', '/api/v1/matters/3/return', () => ({ ...away, next_step: '请在回来后10天内把护照等证件交到所里保管。' }));
  server.on('POST', '/api/v1/matters/3/quarterly', () => away);
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('matters');
  await tap(page, '.quarter');
  await tap(page, '.send-quarter');
  expect(text(page, '.error')).toContain('请写几句近况');
  await input(page, '.quarter-text', '身体很好，住在女儿家。');
  await tap(page, '.send-quarter');
  expect(server.calls('POST', '/api/v1/matters/3/quarterly')[0].data).toEqual({
    retiree_id: 7,
    text: '身体很好，住在女儿家。',
  });
  await tap(page, '.back-home');
  expect(wx.showModal.mock.calls[0][0].content).toBe('今天（2026-06-15）回来的吗？');
  expect(server.calls('POST', '/api/v1/matters/3/return')[0].data).toEqual({
    retiree_id: 7,
    returned_on: '2026-06-15',
  });
  expect(text(page, '.done')).toContain('护照');
  jest.restoreAllMocks();
});
