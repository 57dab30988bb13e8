const { FakeServer, installWx, loadPage, tap, input, text, ME_UNBOUND, ME_RETIREE, ME_FAMILY } = require('./helpers');

function unboundServer() {
  const server = new FakeServer();
  server.me = ME_UNBOUND;
  return server;
}

test('a retiree binds with the 6-digit code and the last 4 of their ID, then lands home', async () => {
  const server = unboundServer();
  server.on('POST', '/api/v1/bind/retiree', () => ME_RETIREE);
  const wx = installWx(server);
  const page = await loadPage('bind');
  await tap(page, '.mode-retiree');
  await input(page, '.code', '123456');
  await input(page, '.id-tail', '001x');
  await tap(page, '.submit');
  expect(server.calls('POST', '/api/v1/bind/retiree')[0].data).toEqual({
    code: '123456',
    id_tail: '001X',
  });
  expect(wx.getStorageSync('junxiu.me').bound).toBe(true);
  expect(wx.getStorageSync('junxiu.acting')).toBe(7);
  expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' });
});

test('a family member binds with an invite code and their name', async () => {
  const server = unboundServer();
  server.on('POST', '/api/v1/bind/family', () => ME_FAMILY);
  installWx(server);
  const page = await loadPage('bind');
  await tap(page, '.mode-family');
  await input(page, '.invite', 'ab12cd34');
  await input(page, '.display-name', ' 张明 ');
  await tap(page, '.submit');
  expect(server.calls('POST', '/api/v1/bind/family')[0].data).toEqual({
    code: 'AB12CD34',
    display_name: '张明',
  });
});

test('a wrong code shows the server message and stays on the page', async () => {
  const server = unboundServer();
  server.on('POST', '/api/v1/bind/retiree', () =>
    FakeServer.error(400, '绑定码或身份证后4位不对，还可以再试4次。'),
  );
  const wx = installWx(server);
  const page = await loadPage('bind');
  await tap(page, '.mode-retiree');
  await input(page, '.code', '000000');
  await input(page, '.id-tail', '1234');
  await tap(page, '.submit');
  expect(text(page, '.error')).toBe('绑定码或身份证后4位不对，还可以再试4次。');
  expect(wx.reLaunch).not.toHaveBeenCalled();
});

test('full-width digits from a Chinese keyboard are read as digits', async () => {
  const server = unboundServer();
  server.on('POST', '/api/v1/bind/retiree', () => ME_RETIREE);
  installWx(server);
  const page = await loadPage('bind');
  await tap(page, '.mode-retiree');
  await input(page, '.code', '１２３ ４５６');
  await input(page, '.id-tail', '００１ｘ');
  await tap(page, '.submit');
  expect(server.calls('POST', '/api/v1/bind/retiree')[0].data).toEqual({
    code: '123456',
    id_tail: '001X',
  });
});

test('a code of the wrong length is explained on the page and nothing is sent', async () => {
  const server = unboundServer();
  installWx(server);
  const page = await loadPage('bind');
  await tap(page, '.mode-retiree');
  await input(page, '.code', '12345');
  await input(page, '.id-tail', '0011');
  await tap(page, '.submit');
  expect(text(page, '.error')).toBe('绑定码是6位数字，请对照工作人员给的纸条再填一次。');
  expect(server.calls('POST', '/api/v1/bind/retiree')).toHaveLength(0);
  await tap(page, '.mode-family');
  await input(page, '.invite', 'ab1');
  await tap(page, '.submit');
  expect(text(page, '.error')).toContain('邀请码是8位数字和字母');
  expect(server.calls('POST', '/api/v1/bind/family')).toHaveLength(0);
});
