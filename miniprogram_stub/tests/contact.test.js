// 「打电话给所里」: the home page's large button and the same tap on every page that tells the
// user to phone the staff (components/call-unit, utils/contact.js).
const {
  FakeServer,
  installWx,
  loadPage,
  flush,
  text,
  loggedIn,
  ME_FAMILY,
  ME_UNBOUND,
} = require('./helpers');
const errors = require('../utils/errors');

const ON_DUTY = {
  who: '现在是李红在第一军休所值班，电话 13900000001。',
  phone: '13900000001',
  label: '李红（值班）',
  unit_name: '第一军休所',
  on_duty: [{ name: '李红', phone: '13900000001', label: '值班' }],
};

function callServer(reply) {
  const server = new FakeServer();
  server.on('GET', '/api/v1/contact/call', (req) => (typeof reply === 'function' ? reply(req) : reply));
  return server;
}

async function tapCall(page, selector = '.call-staff') {
  const host = page.querySelector(selector);
  if (!host) throw new Error(`no ${selector} on the page`);
  host.querySelector('.dial').dispatchEvent('tap');
  await flush();
  return host;
}

test('home: a large button says who is on duty and calls them', async () => {
  const server = callServer(ON_DUTY);
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('index');
  const host = page.querySelector('#call');
  expect(host.querySelector('.big')).toBeTruthy(); // the large one
  expect(text(host, '.dial')).toBe('打电话给所里');
  expect(text(host, '.who')).toContain('李红在第一军休所值班');
  expect(server.calls('GET', '/api/v1/contact/call')[0].query).toEqual({ retiree_id: '7' });
  await tapCall(page, '#call');
  expect(wx.makePhoneCall).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '13900000001' }));
});

test("home: a family member's button calls their parent's unit", async () => {
  const server = callServer((req) => ({ ...ON_DUTY, phone: `0431-8000000${req.query.retiree_id}` }));
  server.me = ME_FAMILY;
  const wx = installWx(server);
  loggedIn(wx, ME_FAMILY);
  wx.setStorageSync('junxiu.acting', 8);
  const page = await loadPage('index');
  await tapCall(page, '#call');
  expect(server.calls('GET', '/api/v1/contact/call').map((r) => r.query.retiree_id)).toContain('8');
  expect(wx.makePhoneCall).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '0431-80000008' }));
});

test('no number anywhere: the tap says where to find one, and dials nothing', async () => {
  const server = callServer({ who: '没有查到所里的电话。', phone: null, label: '', unit_name: '', on_duty: [] });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('index');
  expect(page.querySelector('#call').querySelector('.who')).toBeFalsy();
  const host = await tapCall(page, '#call');
  expect(wx.makePhoneCall).not.toHaveBeenCalled();
  expect(text(host, '.said')).toBe('请打所里的值班电话，号码在所里发的联系卡上。');
});

test('the server cannot be reached: the number it gave last time is dialled', async () => {
  const server = callServer(() => FakeServer.reply(500, { code: 'internal_error', message: 'x', detail: null }));
  const wx = installWx(server);
  loggedIn(wx);
  errors.rememberUnitPhone('0431-80000001');
  const page = await loadPage('bot');
  await tapCall(page);
  expect(wx.makePhoneCall).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '0431-80000001' }));
});

test('a number from the server is remembered for the error button of any page', async () => {
  const server = callServer(ON_DUTY);
  server.on('GET', '/api/v1/rides', () => FakeServer.reply(500, { code: 'internal_error', message: 'x', detail: null }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('rides');
  page.querySelector('.call-unit').dispatchEvent('tap');
  await flush();
  expect(wx.makePhoneCall).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '13900000001' }));
  expect(errors.unitPhone()).toBe('13900000001');
});

test('before binding there is no unit to ask: the tap explains, the server is not asked', async () => {
  const server = callServer(ON_DUTY);
  server.me = ME_UNBOUND;
  const wx = installWx(server);
  const page = await loadPage('bind');
  const host = await tapCall(page);
  expect(server.calls('GET', '/api/v1/contact/call')).toHaveLength(0);
  expect(wx.makePhoneCall).not.toHaveBeenCalled();
  expect(text(host, '.said')).toContain('联系卡');
});

test('every page that tells the user to phone the staff offers the tap', () => {
  const fs = require('fs');
  const path = require('path');
  const pages = path.join(__dirname, '..', 'pages');
  const telling = fs
    .readdirSync(pages)
    .map((name) => path.join(pages, name, `${name}.wxml`))
    .filter((file) => /打电话(给|告诉)[^<]*工作人员/.test(fs.readFileSync(file, 'utf8')));
  expect(telling.length).toBeGreaterThanOrEqual(3); // activity, meals, bind
  telling.forEach((file) => {
    expect([file, fs.readFileSync(file, 'utf8').indexOf('<call-unit') >= 0]).toEqual([file, true]);
  });
});
