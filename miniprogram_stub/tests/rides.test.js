const { FakeServer, installWx, loadPage, tap, tapNth, input, text, texts, loggedIn } = require('./helpers');

function ride(overrides = {}) {
  return {
    id: 40, pickup_address: '幸福路8号', destination: '市第一人民医院', pickup_at: '2026-11-27T00:30:00Z',
    return_at: '2026-11-27T04:00:00Z', passengers: 2, wheelchair: true, companion_needed: false,
    notes: null, status: '已派车', status_code: 'dispatched', status_label: '已派车', status_reason: null, vehicle: { plate: '吉A12345', description: '白色面包车' },
    driver: { name: '王师傅', phone: '13900002222' }, can_cancel: true, series_id: 6, ...overrides,
  };
}

test('my rides show status in words, the car and driver, and cancel asks first', async () => {
  const server = new FakeServer();
  server.rides = [ride(), ride({ id: 41, status: '无法安排', status_code: 'unarranged', status_label: '无法安排', status_reason: '那天车都派出去了', vehicle: null, driver: null, can_cancel: false, series_id: null })];
  server.on('GET', '/api/v1/rides', () => ({ data: server.rides, count: server.rides.length }));
  server.on('POST', '/api/v1/rides/{id}/cancel', () => ride({ status: '已取消', status_code: 'cancelled', status_label: '已取消', can_cancel: false }));
  server.on('POST', '/api/v1/rides/series/{id}/cancel', () => ({ cancelled: 4 }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('rides');
  const items = texts(page, '.ride');
  expect(items[0]).toContain('11月27日（周五）上午 8:30 去市第一人民医院');
  expect(items[0]).toContain('车：吉A12345 白色面包车');
  expect(items[0]).toContain('司机：王师傅');
  expect(items[1]).toContain('原因：那天车都派出去了');
  await tap(page, '.call-driver');
  expect(wx.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '13900002222' });
  await tap(page, '.cancel-ride');
  expect(server.calls('POST', '/api/v1/rides/40/cancel')).toHaveLength(1);
  await tap(page, '.cancel-series');
  expect(server.calls('POST', '/api/v1/rides/series/6/cancel')).toHaveLength(1);
  expect(text(page, '.done')).toContain('一共4次');
});

test('requesting a ride: a common destination, China time sent as UTC, one key per request', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/rides/destinations', () => ({
    data: [
      { id: 1, name: '市第一人民医院', address: '人民大街1号', kind: '医院' },
      { id: 2, name: '军休所', address: '解放路2号', kind: '其他' },
    ],
    count: 2,
  }));
  let tries = 0;
  server.on('POST', '/api/v1/rides', () => {
    tries += 1;
    return tries === 1 ? FakeServer.NETWORK : ride();
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('ride-new');
  await tap(page, '.submit');
  expect(text(page, '.error')).toContain('请选去哪里');
  await tap(page, '.destination');
  page.querySelector('.date').dispatchEvent('change', { detail: { value: '2026-11-27' } });
  page.querySelector('.time').dispatchEvent('change', { detail: { value: '08:30' } });
  page.querySelector('.return-time').dispatchEvent('change', { detail: { value: '12:00' } });
  await tapNth(page, '.passengers', 1);
  await tap(page, '.wheelchair-yes');
  await tap(page, '.repeat');
  await tapNth(page, '.weekday', 1);
  await tap(page, '.submit');
  expect(text(page, '.error')).toContain('请选到哪天为止');
  page.querySelector('.until').dispatchEvent('change', { detail: { value: '2026-12-31' } });
  await tap(page, '.submit');
  const sent = server.calls('POST', '/api/v1/rides');
  expect(sent).toHaveLength(2); // the first was lost on the network and retried
  expect(sent[0].data.idempotency_key).toBe(sent[1].data.idempotency_key);
  expect(sent[1].data).toMatchObject({
    retiree_id: 7,
    destination_id: 1,
    destination_text: null,
    pickup_address: null,
    pickup_at: '2026-11-27T00:30:00.000Z',
    return_at: '2026-11-27T04:00:00.000Z',
    passengers: 2,
    wheelchair: true,
    companion_needed: false,
    repeat: { weekdays: [2], until: '2026-12-31' },
  });
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/rides/rides' });
});

test('a destination not in the list can be written in', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/rides/destinations', () => ({ data: [], count: 0 }));
  server.on('POST', '/api/v1/rides', () =>
    FakeServer.error(400, '这个时间太近了，请至少提前2小时约车。如有急事请打电话给工作人员。'),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('ride-new');
  await input(page, '.destination-text', '女儿家');
  await input(page, '.pickup', '幸福路8号');
  page.querySelector('.date').dispatchEvent('change', { detail: { value: '2026-11-27' } });
  page.querySelector('.time').dispatchEvent('change', { detail: { value: '08:30' } });
  await tap(page, '.submit');
  expect(server.calls('POST', '/api/v1/rides')[0].data).toMatchObject({
    destination_id: null, destination_text: '女儿家', pickup_address: '幸福路8号', repeat: null,
  });
  expect(text(page, '.error')).toBe('这个时间太近了，请至少提前2小时约车。如有急事请打电话给工作人员。');
  expect(wx.redirectTo).not.toHaveBeenCalled();
});

test('a ride the same person already has is asked about first, then booked on "仍然要约"', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/rides/destinations', () => ({ data: [], count: 0 }));
  const duplicate = '王建国11月27日 09:00已经约了去市第一人民医院的车（家人代约）。是不是约重复了？';
  server.on('POST', '/api/v1/rides', (req) =>
    req.data.confirm_duplicate ? ride() : FakeServer.error(409, duplicate, 'possible_duplicate'),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('ride-new');
  await input(page, '.destination-text', '市第一人民医院');
  page.querySelector('.date').dispatchEvent('change', { detail: { value: '2026-11-27' } });
  page.querySelector('.time').dispatchEvent('change', { detail: { value: '09:30' } });
  // "不了": nothing booked, the page says so.
  wx.showModal.mockImplementationOnce(({ success }) => success({ confirm: false, cancel: true }));
  await tap(page, '.submit');
  expect(wx.showModal.mock.calls[0][0]).toMatchObject({ content: duplicate, confirmText: '仍然要约' });
  expect(server.calls('POST', '/api/v1/rides')).toHaveLength(1);
  expect(text(page, '.error')).toContain('没有再约');
  expect(wx.redirectTo).not.toHaveBeenCalled();
  // Again, and this time confirmed: the second request says so, with the same key.
  await tap(page, '.submit');
  const sent = server.calls('POST', '/api/v1/rides');
  expect(sent).toHaveLength(3);
  expect(sent[1].data.confirm_duplicate).toBeUndefined();
  expect(sent[2].data).toMatchObject({ confirm_duplicate: true, idempotency_key: sent[1].data.idempotency_key });
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/rides/rides' });
});
