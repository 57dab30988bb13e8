// The one request module: tokens, retries that cannot double-book, errors shown as sent.
const { FakeServer, installWx, loggedIn, flush } = require('./helpers');

let request;
let api;
let config;

beforeEach(() => {
  jest.resetModules();
  config = require('../config');
  config.retryDelayMs = 0;
  request = require('../utils/request');
  api = require('../utils/api');
});

const BOOKING = {
  id: 9, bookable_id: 3, kind: 'activity', title: '书法班', starts_at: '2026-11-27T01:30:00Z',
  retiree_id: 7, retiree_name: '张建国', quantity: 1, notes: null, status: '已报名', status_label: '已报名',
  status_code: 'confirmed', waitlist_position: null, booked_by: '本人', can_cancel: true,
  attended: null, rating: null, secret_field: 'x',
};

test('a sign-up lost on the network is retried with the same idempotency key', async () => {
  const server = new FakeServer();
  let tries = 0;
  server.on('POST', '/api/v1/activities/{id}/signup', () => {
    tries += 1;
    return tries < 3 ? FakeServer.NETWORK : BOOKING;
  });
  const wx = installWx(server);
  loggedIn(wx);
  const key = request.newKey();
  const booking = await request.call(api.signUp, {
    params: { activity_id: 3 },
    data: { retiree_id: 7, quantity: 1, notes: null, idempotency_key: key },
  });
  const sent = server.calls('POST', '/api/v1/activities/3/signup');
  expect(sent).toHaveLength(3);
  expect(new Set(sent.map((r) => r.data.idempotency_key))).toEqual(new Set([key]));
  expect(booking.id).toBe(9);
  // Only the fields api.js declares reach the page.
  expect(booking.secret_field).toBeUndefined();
  expect(Object.keys(booking).sort()).toEqual([...api.signUp.reads].sort());
});

test('a booking call without its idempotency key is refused before it is sent', async () => {
  const server = new FakeServer();
  const wx = installWx(server);
  loggedIn(wx);
  await expect(
    request.call(api.signUp, { params: { activity_id: 3 }, data: { retiree_id: 7 } }),
  ).rejects.toThrow('idempotency_key is required');
  expect(wx.request).not.toHaveBeenCalled();
});

test('a cancel (no key) is not retried after a network failure, and says so plainly', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bookings/{id}/cancel', () => FakeServer.NETWORK);
  const wx = installWx(server);
  loggedIn(wx);
  await expect(
    request.call(api.cancelBooking, { params: { booking_id: 9 } }),
  ).rejects.toThrow(request.NETWORK_MESSAGE);
  expect(server.calls('POST', '/api/v1/bookings/9/cancel')).toHaveLength(1);
});

test('reads are retried up to the configured number of times', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/bookings', () => FakeServer.NETWORK);
  const wx = installWx(server);
  loggedIn(wx);
  await expect(request.call(api.bookings, { query: { retiree_id: 7 } })).rejects.toThrow(
    '网络不好',
  );
  expect(server.calls('GET', '/api/v1/bookings')).toHaveLength(1 + config.networkRetries);
});

test("the server's Chinese message is handed on as is", async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bookings/{id}/cancel', () =>
    FakeServer.error(409, '已过取消时间。请打电话告诉工作人员。', 'conflict'),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const err = await request.call(api.cancelBooking, { params: { booking_id: 9 } }).catch((e) => e);
  expect(err.message).toBe('已过取消时间。请打电话告诉工作人员。');
  expect(err.status).toBe(409);
  expect(err.code).toBe('conflict');
});

test('a server error without a message still says what to do', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/me', () => FakeServer.reply(502, '<html>bad gateway</html>'));
  const wx = installWx(server);
  loggedIn(wx);
  await expect(request.call(api.me)).rejects.toThrow('出了点问题，请稍后再试，或打电话给所里');
});

test('undeclared fields and endpoints are refused', async () => {
  installWx(new FakeServer());
  await expect(request.call(api.botAsk, { data: { question: '?', extra: 1 } })).rejects.toThrow(
    'field extra not declared',
  );
  await expect(request.call(api.inbox, { query: { page: 2 } })).rejects.toThrow(
    'query page not declared',
  );
  await expect(request.call({ method: 'GET', path: '/x', name: 'x' })).rejects.toThrow(
    'use an endpoint from utils/api.js',
  );
});

test('the base URL comes from config.js', async () => {
  const server = new FakeServer();
  const wx = installWx(server);
  loggedIn(wx);
  config.baseUrl = 'https://junxiu.example.cn';
  server.on('GET', '/api/v1/me', () => server.me);
  await request.call(api.me);
  expect(wx.request.mock.calls[0][0].url).toBe('https://junxiu.example.cn/api/v1/me');
});

test('in development, login uses the fake WeChat code for config.devOpenid', async () => {
  const server = new FakeServer();
  server.on('POST', '/fake-wechat/_fake/login-code', (req) => ({ code: `code-for-${req.data.openid}` }));
  const wx = installWx(server);
  config.devOpenid = 'demo-retiree-openid';
  const auth = require('../utils/auth');
  await auth.ready();
  expect(wx.login).not.toHaveBeenCalled();
  expect(server.calls('POST', '/api/v1/auth/wechat')[0].data).toEqual({
    code: 'code-for-demo-retiree-openid',
  });
});

test('two requests finding no token log in once', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/bookings', () => []);
  const wx = installWx(server);
  await Promise.all([
    request.call(api.bookings, { query: { retiree_id: 7 } }),
    request.call(api.bookings, { query: { retiree_id: 7 } }),
  ]);
  await flush();
  expect(wx.login).toHaveBeenCalledTimes(1);
  expect(server.calls('POST', '/api/v1/auth/wechat')).toHaveLength(1);
});

// wx.downloadFile as WeChat does it: the body lands in a temporary file, whatever the status.
function downloads(answer) {
  const files = new Map();
  let n = 0;
  return {
    downloadFile: jest.fn((opts) => {
      Promise.resolve().then(() => {
        const out = answer(opts);
        if (out === FakeServer.NETWORK) {
          opts.fail({ errMsg: 'downloadFile:fail timeout' });
          return;
        }
        n += 1;
        const tempFilePath = `wxfile://tmp/${n}`;
        files.set(tempFilePath, out.body);
        opts.success({ statusCode: out.status, tempFilePath });
      });
    }),
    getFileSystemManager: () => ({
      readFileSync: (p) => {
        if (!files.has(p)) throw new Error('readFileSync:fail no such file');
        return files.get(p);
      },
    }),
  };
}

test('a download goes to wx.downloadFile with the session header and returns the file', async () => {
  const server = new FakeServer();
  const extra = downloads(() => ({ status: 200, body: '\xff\xd8jpeg' }));
  const wx = installWx(server, extra);
  loggedIn(wx);
  const file = await request.download(api.activityPhoto, {
    params: { activity_id: 3 },
    query: { retiree_id: 7 },
  });
  expect(file).toBe('wxfile://tmp/1');
  const sent = extra.downloadFile.mock.calls[0][0];
  expect(sent.url).toBe('http://127.0.0.1:8000/api/v1/activities/3/photo?retiree_id=7');
  expect(sent.header).toEqual({ Authorization: 'Bearer tok-1' });
  expect(wx.request).not.toHaveBeenCalled();
});

test("a refused download hands on the server's message; an expired session logs in again", async () => {
  const server = new FakeServer();
  const answers = [
    { status: 401, body: JSON.stringify({ code: 'unauthorized', message: '请先登录。' }) },
    { status: 404, body: JSON.stringify({ code: 'not_found', message: '这个活动还没有照片。' }) },
  ];
  const extra = downloads(() => answers.shift());
  const wx = installWx(server, extra);
  loggedIn(wx, undefined, 'tok-old');
  const err = await request
    .download(api.activityPhoto, { params: { activity_id: 3 }, query: { retiree_id: 7 } })
    .catch((e) => e);
  expect(err.message).toBe('这个活动还没有照片。');
  expect(err.status).toBe(404);
  expect(wx.login).toHaveBeenCalledTimes(1);
  const headers = extra.downloadFile.mock.calls.map(([o]) => o.header.Authorization);
  expect(headers).toEqual(['Bearer tok-old', 'Bearer tok-1']);
});

test('a download lost on the network is retried like a read, then says so plainly', async () => {
  const server = new FakeServer();
  const extra = downloads(() => FakeServer.NETWORK);
  const wx = installWx(server, extra);
  loggedIn(wx);
  await expect(
    request.download(api.activityPhoto, { params: { activity_id: 3 }, query: { retiree_id: 7 } }),
  ).rejects.toThrow(request.NETWORK_MESSAGE);
  expect(extra.downloadFile).toHaveBeenCalledTimes(1 + config.networkRetries);
});

test('a file endpoint is only downloaded, and only declared endpoints are', async () => {
  const wx = installWx(new FakeServer(), downloads(() => ({ status: 200, body: '' })));
  loggedIn(wx);
  await expect(
    request.call(api.activityPhoto, { params: { activity_id: 3 }, query: { retiree_id: 7 } }),
  ).rejects.toThrow('use download()');
  await expect(request.download(api.me)).rejects.toThrow('not a download endpoint');
  await expect(
    request.download(api.activityPhoto, { params: { activity_id: 3 }, query: { size: 'big' } }),
  ).rejects.toThrow('query size not declared');
  expect(wx.request).not.toHaveBeenCalled();
});

test('the sign-in code is read with only its declared fields', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/bookings/{id}/code', () => ({
    booking_id: 9,
    code: 'JX12KMNWPQ',
    qr_svg: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
    extra: 'x',
  }));
  const wx = installWx(server);
  loggedIn(wx);
  const res = await request.call(api.attendanceCode, { params: { booking_id: 9 } });
  expect(res).toEqual({
    booking_id: 9,
    code: 'JX12KMNWPQ',
    qr_svg: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
  });
});
