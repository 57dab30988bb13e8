const { FakeServer, installWx, loadPage, tap, tapNth, text, texts, loggedIn, ME_FAMILY } = require('./helpers');

function binding(overrides = {}) {
  return {
    id: 31, retiree_id: 7, retiree_name: '张建国', relation: '子女', display_name: '张明',
    can_receive_notices: true, can_submit_checkin: false, can_book: true, can_see_health: false,
    created_at: '2026-10-01T02:00:00Z', ...overrides,
  };
}

test('a retiree invites family with chosen permissions and sees the code to pass on', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/retirees/{id}/family', () => [binding()]);
  server.on('POST', '/api/v1/retirees/{id}/family-invites', (req) => ({
    id: 1, code: 'K7P2M9QX', relation: req.data.relation, expires_at: '2026-12-02T02:00:00Z',
    can_receive_notices: true, can_submit_checkin: true, can_book: false,
  }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('family');
  expect(text(page, '.binding')).toContain('张明（子女）');
  expect(text(page, '.binding')).toContain('✓ 收通知');
  expect(text(page, '.binding')).toContain('✗ 办年度登记');
  await tapNth(page, '.relation', 0);
  await tap(page, '.perm-checkin');
  await tap(page, '.create-invite');
  expect(server.calls('POST', '/api/v1/retirees/7/family-invites')[0].data).toEqual({
    relation: '配偶', can_receive_notices: true, can_submit_checkin: true, can_book: false, can_see_health: false,
  });
  expect(text(page, '.code')).toBe('K7P2M9QX');
  await tap(page, '.copy');
  expect(wx.setClipboardData.mock.calls[0][0].data).toBe('K7P2M9QX');
});

test('a retiree removes a family member after confirming', async () => {
  const server = new FakeServer();
  let rows = [binding()];
  server.on('GET', '/api/v1/retirees/{id}/family', () => rows);
  server.on('DELETE', '/api/v1/retirees/{rid}/family/{bid}', () => {
    rows = [];
    return FakeServer.reply(204, '');
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('family');
  await tap(page, '.revoke');
  expect(wx.showModal.mock.calls[0][0].content).toContain('确定解除和张明的绑定吗');
  expect(server.calls('DELETE', '/api/v1/retirees/7/family/31')).toHaveLength(1);
  expect(text(page, '.done')).toBe('已解除。');
  expect(text(page, '.empty')).toBe('还没有绑定的家人。');
});

test('a family member sees only their own binding, cannot invite, and may leave', async () => {
  const server = new FakeServer();
  server.me = ME_FAMILY;
  server.on('GET', '/api/v1/retirees/{id}/family', () => [binding({ display_name: '我' })]);
  server.on('DELETE', '/api/v1/retirees/{rid}/family/{bid}', () => {
    server.me = { ...ME_FAMILY, following: ME_FAMILY.following.slice(1) };
    return FakeServer.reply(204, '');
  });
  const wx = installWx(server);
  loggedIn(wx, ME_FAMILY);
  const page = await loadPage('family');
  expect(page.querySelector('.invite')).toBeFalsy();
  expect(texts(page, '.binding')[0]).toContain('我帮张建国办事');
  await tap(page, '.revoke');
  expect(server.calls('DELETE', '/api/v1/retirees/7/family/31')).toHaveLength(1);
  expect(wx.getStorageSync('junxiu.acting')).toBe(8);
  expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' });
});

test('a retiree switches one right of a family member with one tap and is told what changed', async () => {
  const server = new FakeServer();
  let row = binding();
  server.on('GET', '/api/v1/retirees/{id}/family', () => [row]);
  server.on('PUT', '/api/v1/retirees/{rid}/family/{bid}/rights', (req) => {
    row = { ...row, ...req.data };
    return row;
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('family');
  expect(text(page, '.right-can_see_health')).toBe('✗ 看健康档案');
  await tap(page, '.right-can_see_health');
  expect(server.calls('PUT', '/api/v1/retirees/7/family/31/rights')[0].data).toEqual({
    can_receive_notices: true, can_submit_checkin: false, can_book: true, can_see_health: true,
  });
  expect(text(page, '.done')).toBe('张明现在可以看健康档案了。');
  expect(text(page, '.right-can_see_health')).toBe('✓ 看健康档案');
  await tap(page, '.right-can_book');
  expect(text(page, '.done')).toBe('张明不能再预约报名了。');
});
