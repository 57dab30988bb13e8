const { FakeServer, installWx, loadPage, tap, text, texts, loggedIn } = require('./helpers');

function care(overrides = {}) {
  return {
    retiree_id: 7, retiree_name: '王建国', staff_name: '张敏',
    last_contact_on: '2026-03-02', last_contact_kind: '电话',
    last_visit_on: '2026-02-20', last_visit_kind: '上门',
    follow_ups: [{ text: '联系社区装扶手', due_on: '2026-03-09', owner_name: '张敏' }],
    callback_pending: false, message: '张敏负责照顾王建国。有事可以点下面的按钮，请张敏回电话。', ...overrides,
  };
}

test('care shows the last contact and visit, the promises, and asks for a call back once', async () => {
  const server = new FakeServer();
  server.care = care();
  server.on('GET', '/api/v1/visits/care', () => server.care);
  server.on('POST', '/api/v1/visits/callback', () => {
    server.care = care({ callback_pending: true, message: '已经请张敏回电话了，请留意接听。' });
    return { task_id: 3, message: '已告诉张敏，会在明天之前给您回电话。请留意接听。' };
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('care');
  expect(text(page, '.contact')).toContain('3月2日（周一），打电话');
  expect(text(page, '.visit')).toContain('2月20日（周五），上门看望');
  expect(texts(page, '.follow-up')[0]).toContain('联系社区装扶手');
  expect(texts(page, '.follow-up')[0]).toContain('张敏办，3月9日（周一）前');
  await tap(page, '.callback');
  const asked = server.calls('POST', '/api/v1/visits/callback');
  expect(asked).toHaveLength(1);
  expect(asked[0].data).toEqual({ retiree_id: 7 });
  expect(text(page, '.done')).toContain('已告诉张敏');
  expect(page.querySelector('.callback')).toBeFalsy();
});

test('nothing recorded yet reads as plain words', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/visits/care', () => care({
    staff_name: null, last_contact_on: null, last_contact_kind: null, last_visit_on: null,
    last_visit_kind: null, follow_ups: [], message: '有事可以请工作人员回电话。',
  }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('care');
  expect(text(page, '.contact')).toContain('还没有记录');
  expect(text(page, '.who')).toContain('所里会安排专人照顾');
  expect(text(page, '.follow-ups')).toContain('现在没有要办的事');
});

test('family tell the centre of a hospital stay', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/visits/care', () => care());
  server.on('POST', '/api/v1/visits/events', () => ({ task_id: 9, message: '已告诉所里，工作人员会在3月5日前来看望。' }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('care');
  await tap(page, '.report-hospital');
  const sent = server.calls('POST', '/api/v1/visits/events');
  expect(sent).toHaveLength(1);
  expect(sent[0].data.kind).toBe('住院');
  expect(text(page, '.done')).toContain('3月5日前来看望');
});
