const { FakeServer, installWx, loadPage, tap, text, texts, input, loggedIn, ME_FAMILY } = require('./helpers');

function state(overrides = {}) {
  return {
    id: 5, retiree_id: 7, status: 'raised', headline: '已通知工作人员',
    detail: '工作人员马上会给您打电话，请保持电话畅通。', call_120: '有生命危险请马上打120',
    raised_at: '2026-03-02T02:00:00Z', acknowledged_at: null, closed_at: null, outcome: null,
    open: true, ...overrides,
  };
}

function contacts(list = [{ position: 1, name: '张小红', relation: '女儿', phone: '13900000001' }]) {
  return { retiree_id: 7, can_edit: true, contacts: list };
}

test('home: one confirmation, then the status page sends it', async () => {
  const server = new FakeServer();
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('index');
  await tap(page, '.sos');
  expect(wx.showModal).toHaveBeenCalledTimes(1);
  expect(wx.showModal.mock.calls[0][0].content).toBe('马上通知所里工作人员来帮您？');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/sos/sos?raise=1' });
});

test('home: saying no sends nothing', async () => {
  const server = new FakeServer();
  const wx = installWx(server, {
    showModal: jest.fn(({ success }) => success({ confirm: false, cancel: true })),
  });
  loggedIn(wx);
  const page = await loadPage('index');
  await tap(page, '.sos');
  expect(wx.navigateTo).not.toHaveBeenCalled();
});

test('sent with the location the user allowed, then plain words and 120', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/sos/alerts', () => state());
  server.on('GET', '/api/v1/sos/contacts', () => contacts());
  const wx = installWx(server, {
    getLocation: jest.fn(({ success }) => success({ latitude: 39.9, longitude: 116.4 })),
  });
  loggedIn(wx);
  const page = await loadPage('sos', { raise: '1' });
  expect(server.calls('POST', '/api/v1/sos/alerts')[0].data).toEqual({
    retiree_id: 7, latitude: 39.9, longitude: 116.4,
  });
  expect(text(page, '.headline')).toBe('已通知工作人员');
  expect(text(page, '.call-120-box')).toContain('有生命危险请马上打120');
  expect(text(page, '.contact')).toBe('张小红（女儿）13900000001');
  expect(page.querySelector('.raise')).toBeFalsy(); // open: no second button to press
  await tap(page, '.call-120');
  expect(wx.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '120' });
});

test('refusing the location still sends the alert', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/sos/alerts', () => state());
  server.on('GET', '/api/v1/sos/contacts', () => contacts([]));
  const wx = installWx(server, {
    getLocation: jest.fn(({ fail }) => fail({ errMsg: 'getLocation:fail auth deny' })),
  });
  loggedIn(wx);
  const page = await loadPage('sos', { raise: '1' });
  expect(server.calls('POST', '/api/v1/sos/alerts')[0].data).toEqual({ retiree_id: 7 });
  expect(text(page, '.headline')).toBe('已通知工作人员');
  expect(text(page, '.no-contacts')).toContain('还没有填紧急联系人');
});

test('no connection: the error, the unit phone and 120 stay on screen', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/sos/alerts', () => FakeServer.NETWORK);
  server.on('GET', '/api/v1/sos/contacts', () => contacts());
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('sos', { raise: '1' });
  expect(text(page, '.error')).toBeTruthy();
  expect(page.querySelector('.call-unit')).not.toBeNull();
  expect(page.querySelector('.call-120')).not.toBeNull();
  expect(page.querySelector('.raise')).not.toBeNull(); // and it can be pressed again
});

test('the status follows what staff do: asked again on 看看现在怎么样了', async () => {
  const server = new FakeServer();
  let now = state();
  server.on('GET', '/api/v1/sos/alerts/current', () => ({ alert: now }));
  server.on('GET', '/api/v1/sos/contacts', () => contacts());
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('sos');
  expect(text(page, '.headline')).toBe('已通知工作人员');
  now = state({ status: 'acknowledged', headline: '工作人员已看到，正在联系您', detail: '请接听电话。' });
  await tap(page, '.refresh');
  expect(text(page, '.headline')).toBe('工作人员已看到，正在联系您');
  now = state({ status: 'closed', headline: '这次求助已经处理完了', detail: '结果：误触。', open: false });
  await tap(page, '.refresh');
  expect(text(page, '.detail')).toBe('结果：误触。');
  expect(page.querySelector('.refresh')).toBeFalsy(); // closed: nothing more to wait for
  expect(page.querySelector('.raise')).toBeTruthy();
});

test('family asks for their parent by name', async () => {
  const server = new FakeServer();
  server.me = ME_FAMILY;
  server.on('GET', '/api/v1/sos/alerts/current', () => ({ alert: null }));
  server.on('GET', '/api/v1/sos/contacts', () => ({ ...contacts(), can_edit: false }));
  server.on('POST', '/api/v1/sos/alerts', () => state());
  const wx = installWx(server);
  loggedIn(wx, ME_FAMILY);
  const page = await loadPage('sos');
  expect(text(page, '.none')).toContain('现在没有求助');
  expect(page.querySelector('.edit-contacts')).toBeFalsy();
  await tap(page, '.raise');
  expect(wx.showModal.mock.calls[0][0].content).toBe('马上通知所里工作人员去帮张建国？');
  expect(server.calls('POST', '/api/v1/sos/alerts')).toHaveLength(1);
});

test('emergency contacts: empty rows are left out, a half-filled row is caught', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/sos/contacts', () => contacts());
  server.on('PUT', '/api/v1/sos/contacts', (req) => ({
    retiree_id: 7,
    can_edit: true,
    contacts: req.data.contacts.map((c, i) => ({ position: i + 1, ...c })),
  }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('sos-contacts');
  expect(texts(page, '.person .h2')).toEqual(['第1位', '第2位', '第3位']);
  const names = page.querySelectorAll('.name');
  names[1].dispatchEvent('input', { detail: { value: '张大力' } });
  await tap(page, '.save');
  expect(text(page, '.error')).toBe('每一位都要填姓名、关系和手机号。');
  expect(server.calls('PUT', '/api/v1/sos/contacts')).toHaveLength(0);
  page.querySelectorAll('.relation')[1].dispatchEvent('input', { detail: { value: '儿子' } });
  page.querySelectorAll('.phone')[1].dispatchEvent('input', { detail: { value: '13900000002' } });
  await tap(page, '.save');
  expect(server.calls('PUT', '/api/v1/sos/contacts')[0].data).toEqual({
    retiree_id: 7,
    contacts: [
      { name: '张小红', relation: '女儿', phone: '13900000001' },
      { name: '张大力', relation: '儿子', phone: '13900000002' },
    ],
  });
  expect(text(page, '.done')).toBe('已保存。');
  expect(input).toBeTruthy();
});
