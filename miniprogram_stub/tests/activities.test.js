const {
  FakeServer,
  installWx,
  loadPage,
  tap,
  tapNth,
  input,
  text,
  texts,
  loggedIn,
  flush,
} = require('./helpers');

function booking(overrides = {}) {
  return {
    id: 21, bookable_id: 3, kind: 'activity', title: '书法班', starts_at: '2026-11-27T01:30:00Z',
    retiree_id: 7, retiree_name: '张建国', quantity: 1, notes: null, status: '已报名', status_label: '已报名',
    status_code: 'confirmed', waitlist_position: null, booked_by: '本人', can_cancel: true,
    attended: null, rating: null, ...overrides,
  };
}

function activity(overrides = {}) {
  return {
    id: 3, bookable_id: 3, category: '文化', title: '书法班', description: '带毛笔。', place: '活动室',
    starts_at: '2026-11-27T01:30:00Z', ends_at: '2026-11-27T03:30:00Z', capacity: 20, confirmed: 20,
    remaining: 0, waitlisted: 2, opens_at: '2026-11-20T00:00:00Z', closes_at: '2026-11-26T10:00:00Z',
    cancel_deadline: '2026-11-26T10:00:00Z', max_quantity: 2, status: 'open', accessibility: '有电梯',
    cost: null, can_sign_up: true, why_not: null, my_booking: null, ...overrides,
  };
}

test('the list shows upcoming activities; 我能报名的 asks the server for can_join', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/activities', () => ({ data: [activity()], count: 1 }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('activities');
  expect(texts(page, '.activity')[0]).toContain('书法班');
  expect(texts(page, '.activity')[0]).toContain('名额满了，可以排队候补');
  await tap(page, '.tab-can');
  expect(server.calls('GET', '/api/v1/activities').map((r) => r.query)).toEqual([
    { retiree_id: '7' },
    { retiree_id: '7', can_join: 'true' },
  ]);
  await tap(page, '.activity');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/activity/activity?id=3' });
});

test('my sign-ups show status and waiting-list place', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/activities', () => ({ data: [], count: 0 }));
  server.on('GET', '/api/v1/bookings', () => [
    booking({ status: '候补', status_label: '候补', status_code: 'waitlisted', waitlist_position: 2 }),
  ]);
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('activities');
  await tap(page, '.tab-mine');
  expect(texts(page, '.booking')[0]).toContain('书法班');
  expect(text(page, '.booking')).toContain('候补，排第2位');
});

test('signing up for a full activity puts me on the waiting list and says my place', async () => {
  const server = new FakeServer();
  let current = activity();
  server.on('GET', '/api/v1/activities/{id}', () => current);
  server.on('POST', '/api/v1/activities/{id}/signup', () => {
    const b = booking({ status: '候补', status_label: '候补', status_code: 'waitlisted', waitlist_position: 3, quantity: 2 });
    current = activity({ can_sign_up: false, my_booking: b });
    return b;
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('activity', { id: '3' });
  expect(text(page, '.sign-up')).toBe('排队候补');
  await tapNth(page, '.size', 1);
  await input(page, '.notes', '坐轮椅');
  await tap(page, '.sign-up');
  const sent = server.calls('POST', '/api/v1/activities/3/signup')[0].data;
  expect(sent).toMatchObject({ retiree_id: 7, quantity: 2, notes: '坐轮椅' });
  expect(sent.idempotency_key).toMatch(/^mp-/);
  expect(text(page, '.done')).toContain('排第3位');
  expect(text(page, '.waitlist')).toContain('候补排第 3 位');
});

test('cancelling asks first, and nothing is sent when the answer is no', async () => {
  const server = new FakeServer();
  let current = activity({ can_sign_up: false, my_booking: booking() });
  server.on('GET', '/api/v1/activities/{id}', () => current);
  server.on('POST', '/api/v1/bookings/{id}/cancel', () => {
    const b = booking({ status: '已取消', status_label: '已取消', status_code: 'cancelled', can_cancel: false });
    current = activity({ my_booking: b, remaining: 1 });
    return b;
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('activity', { id: '3' });
  wx.showModal.mockImplementationOnce(({ success }) => success({ confirm: false, cancel: true }));
  await tap(page, '.cancel');
  expect(server.calls('POST', '/api/v1/bookings/21/cancel')).toHaveLength(0);
  await tap(page, '.cancel');
  expect(wx.showModal.mock.calls[1][0]).toMatchObject({ cancelText: '不了', confirmText: '确定取消' });
  expect(server.calls('POST', '/api/v1/bookings/21/cancel')).toHaveLength(1);
  expect(text(page, '.done')).toBe('已取消报名。');
  expect(page.querySelector('.mine')).toBeFalsy();
});

test('after the deadline the page says to phone, and the server message is shown as is', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/activities/{id}', () =>
    activity({ my_booking: booking({ can_cancel: false }), can_sign_up: false }),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('activity', { id: '3' });
  expect(page.querySelector('.cancel')).toBeFalsy();
  expect(text(page, '.mine')).toContain('请打电话告诉工作人员');

  server.on('GET', '/api/v1/activities/{id}', () => activity());
  server.on('POST', '/api/v1/activities/{id}/signup', () =>
    FakeServer.error(403, '您没有替这位老人预约的权限。请老人在“家人”页面为您打开。', 'permission_denied'),
  );
  const again = await loadPage('activity', { id: '3' });
  await tap(again, '.sign-up');
  expect(text(again, '.error')).toBe('您没有替这位老人预约的权限。请老人在“家人”页面为您打开。');
});

test('after attending, one tap rates the activity', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/activities/{id}', () =>
    activity({ can_sign_up: false, my_booking: booking({ attended: true, can_cancel: false }) }),
  );
  server.on('POST', '/api/v1/bookings/{id}/rating', () => booking({ rating: '满意' }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('activity', { id: '3' });
  await tap(page, '.rate');
  expect(server.calls('POST', '/api/v1/bookings/21/rating')[0].data).toEqual({ rating: '满意' });
});

const QR = 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=';
const WXML = require('fs').readFileSync(
  require('path').join(__dirname, '..', 'pages', 'activity', 'activity.wxml'),
  'utf8',
);

function signinServer(overrides = {}) {
  const server = new FakeServer();
  server.on('GET', '/api/v1/activities/{id}', () =>
    activity({ can_sign_up: false, my_booking: booking(), ...overrides }),
  );
  server.on('GET', '/api/v1/bookings/{id}/code', (req) => ({
    booking_id: Number(req.params.id),
    code: 'JX12KMNWPQ',
    qr_svg: QR,
  }));
  return server;
}

test('a confirmed booking shows its sign-in code: the QR code large, the code, one line', async () => {
  const server = signinServer();
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('activity', { id: '3' });
  expect(text(page, '.show-code')).toBe('出示签到码');
  expect(page.querySelector('.signin')).toBeFalsy();
  expect(server.calls('GET', '/api/v1/bookings/21/code')).toHaveLength(0); // only on a tap

  await tap(page, '.show-code');
  expect(server.calls('GET', '/api/v1/bookings/21/code')).toHaveLength(1);
  const sent = server.calls('GET', '/api/v1/bookings/21/code')[0];
  expect(sent.header.Authorization).toBe('Bearer tok-1');
  // The simulator does not render <image> attributes: the data it binds, and the binding.
  expect(page.querySelector('.qr')).toBeTruthy();
  expect(page.data.signin.qr_svg).toBe(QR);
  expect(WXML).toContain('<image class="qr" src="{{signin.qr_svg}}"');
  expect(text(page, '.signin-code')).toBe('JX12KMNWPQ');
  expect(text(page, '.signin-how')).toBe('到了现场，请把这个给工作人员扫一下。');
  expect(text(page, '.error')).toBeNull();

  await tap(page, '.show-code'); // 收起签到码
  expect(page.querySelector('.signin')).toBeFalsy();
  expect(text(page, '.show-code')).toBe('出示签到码');
  expect(server.calls('GET', '/api/v1/bookings/21/code')).toHaveLength(1);
});

test('no sign-in code while waitlisted; once cancelled the code goes away', async () => {
  const server = signinServer({
    my_booking: booking({ status: '候补中', status_label: '候补中', status_code: 'waitlisted', waitlist_position: 1 }),
  });
  const wx = installWx(server);
  loggedIn(wx);
  const waiting = await loadPage('activity', { id: '3' });
  expect(waiting.querySelector('.show-code')).toBeFalsy();

  let current = activity({ can_sign_up: false, my_booking: booking() });
  server.on('GET', '/api/v1/activities/{id}', () => current);
  server.on('POST', '/api/v1/bookings/{id}/cancel', () => {
    const b = booking({ status: '已取消', status_label: '已取消', status_code: 'cancelled', can_cancel: false });
    current = activity({ my_booking: b, remaining: 1 });
    return b;
  });
  const page = await loadPage('activity', { id: '3' });
  await tap(page, '.show-code');
  expect(text(page, '.signin-code')).toBe('JX12KMNWPQ');
  await tap(page, '.cancel');
  expect(page.querySelector('.signin')).toBeFalsy();
  expect(page.querySelector('.show-code')).toBeFalsy();
  expect(page.data.signin).toBeNull();
});

test("the server's reason is shown when there is no code", async () => {
  const server = signinServer();
  server.on('GET', '/api/v1/bookings/{id}/code', () =>
    FakeServer.error(400, '报上以后才有签到码。候补补上时会发消息告诉您。'),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('activity', { id: '3' });
  await tap(page, '.show-code');
  expect(text(page, '.error')).toBe('报上以后才有签到码。候补补上时会发消息告诉您。');
  expect(page.querySelector('.signin')).toBeFalsy();
  expect(wx.showModal).not.toHaveBeenCalled();
});

function photoWx(server, downloadFile) {
  return installWx(server, {
    downloadFile: jest.fn(downloadFile),
    getFileSystemManager: () => ({
      readFileSync: () => JSON.stringify({ code: 'not_found', message: '这个活动还没有照片。' }),
    }),
  });
}

test('the photo is downloaded with the session header and shown; none is fetched without one', async () => {
  const server = signinServer({ has_photo: true });
  const wx = photoWx(server, (opts) =>
    Promise.resolve().then(() =>
      opts.success({ statusCode: 200, tempFilePath: 'wxfile://tmp/photo-3.jpg' }),
    ),
  );
  loggedIn(wx);
  const page = await loadPage('activity', { id: '3' });
  expect(wx.downloadFile).toHaveBeenCalledTimes(1);
  const sent = wx.downloadFile.mock.calls[0][0];
  expect(sent.url).toBe('http://127.0.0.1:8000/api/v1/activities/3/photo?retiree_id=7');
  expect(sent.header.Authorization).toBe('Bearer tok-1');
  expect(page.querySelector('.photo')).toBeTruthy();
  expect(page.data.photo).toBe('wxfile://tmp/photo-3.jpg');
  expect(WXML).toContain('class="photo" src="{{photo}}"');
  expect(wx.request.mock.calls.some(([o]) => o.url.includes('/photo'))).toBe(false);
  // Coming back to the page does not fetch it again.
  page.instance.onShow();
  await flush();
  expect(server.calls('GET', '/api/v1/activities/3')).toHaveLength(2);
  expect(wx.downloadFile).toHaveBeenCalledTimes(1);

  const plain = signinServer({ has_photo: false });
  const wx2 = photoWx(plain, () => {
    throw new Error('no photo to fetch');
  });
  loggedIn(wx2);
  const without = await loadPage('activity', { id: '3' });
  expect(wx2.downloadFile).not.toHaveBeenCalled();
  expect(without.querySelector('.photo')).toBeFalsy();
  expect(without.querySelector('.photo-failed')).toBeFalsy();
});

test('a photo that cannot be fetched leaves the page working and says so in words', async () => {
  const server = signinServer({ has_photo: true });
  const wx = photoWx(server, (opts) =>
    Promise.resolve().then(() => opts.fail({ errMsg: 'downloadFile:fail timeout' })),
  );
  loggedIn(wx);
  const page = await loadPage('activity', { id: '3' });
  expect(wx.downloadFile).toHaveBeenCalledTimes(3); // a read: retried
  expect(page.querySelector('.photo')).toBeFalsy();
  expect(text(page, '.photo-failed')).toContain('活动照片没有打开');
  expect(text(page, '.error')).toBeNull();
  expect(text(page, '.show-code')).toBe('出示签到码');
});

test('a weekly class shows its schedule, and that one sign-up is for the whole term', async () => {
  const schedule = '每周二、四 09:00，3月3日至6月30日，共34次';
  const weekly = {
    category: '老年大学',
    title: '书法班（春季）',
    remaining: 5,
    schedule,
    sessions: [{ id: 1, starts_at: '2026-03-03T01:00:00Z', ends_at: '2026-03-03T03:00:00Z' }],
  };
  const server = new FakeServer();
  let current = activity(weekly);
  server.on('GET', '/api/v1/activities', () => ({ data: [current], count: 1 }));
  server.on('GET', '/api/v1/activities/{id}', () => current);
  server.on('POST', '/api/v1/activities/{id}/signup', () => {
    const b = booking();
    current = activity({ ...weekly, can_sign_up: false, my_booking: b });
    return b;
  });
  const wx = installWx(server);
  loggedIn(wx);
  const list = await loadPage('activities');
  expect(texts(list, '.activity')[0]).toContain(schedule);
  expect(text(list, '.term')).toContain('整个学期');

  const page = await loadPage('activity', { id: '3' });
  expect(text(page, '.schedule')).toBe(`上课：${schedule}`);
  expect(text(page, '.term')).toContain('报一次名就报上了整个学期');
  expect(page.data.activity.sessions).toBeUndefined(); // not declared in api.js, not handed on
  await tap(page, '.sign-up');
  expect(text(page, '.done')).toBe('报名成功，整个学期的课都报上了。每次上课前一天会提醒您。');
  await tap(page, '.cancel');
  expect(wx.showModal.mock.calls[0][0].content).toContain('整个学期');
});

test('a one-off activity shows its time, no term', async () => {
  const server = signinServer();
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('activity', { id: '3' });
  expect(page.querySelector('.schedule')).toBeFalsy();
  expect(page.querySelector('.term')).toBeFalsy();
  expect(text(page, '.details')).toContain('时间：');
});

test('a confirmed place on a check-up offers the car, and the ride form comes filled in', async () => {
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-25T02:00:00Z'));
  const server = new FakeServer();
  const checkup = activity({
    category: '体检', title: '2026年度体检（第一组）', place: '解放军总医院', starts_at: '2026-12-18T00:00:00Z',
    my_booking: booking({ title: '2026年度体检（第一组）' }),
  });
  server.on('GET', '/api/v1/activities/{id}', () => checkup);
  server.on('GET', '/api/v1/rides/destinations', () => ({ data: [], count: 0 }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('activity', { id: '3' });
  await tap(page, '.ride-to');
  const url = wx.navigateTo.mock.calls[0][0].url;
  expect(url).toBe(
    `/pages/ride-new/ride-new?to=${encodeURIComponent('解放军总医院')}&date=2026-12-18&time=07:00&note=${encodeURIComponent('2026年度体检（第一组）')}`,
  );
  const query = Object.fromEntries(new URLSearchParams(url.split('?')[1]));
  const form = await loadPage('ride-new', query);
  expect(form.instance.data.form).toMatchObject({
    destination_text: '解放军总医院', date: '2026-12-18', time: '07:00', notes: '2026年度体检（第一组）',
  });
  jest.restoreAllMocks();
});

test('an outing, or a check-up already past, offers no car', async () => {
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-25T02:00:00Z'));
  const server = new FakeServer();
  let current = activity({ my_booking: booking() });
  server.on('GET', '/api/v1/activities/{id}', () => current);
  const wx = installWx(server);
  loggedIn(wx);
  expect((await loadPage('activity', { id: '3' })).querySelector('.ride-to')).toBeFalsy();
  current = activity({ category: '体检', starts_at: '2026-11-20T00:00:00Z', my_booking: booking() });
  expect((await loadPage('activity', { id: '3' })).querySelector('.ride-to')).toBeFalsy();
  jest.restoreAllMocks();
});
