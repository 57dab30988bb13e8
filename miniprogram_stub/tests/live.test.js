// The pages against a running backend (run by tests/miniprogram/test_live_client.py, which
// starts the server, seeds a world and passes MP_LIVE_BASE, MP_LOGIN_CODES, MP_ACTIVITY_ID).
// wx.request and wx.downloadFile are real HTTP here; only wx.login (codes from the fake WeChat)
// and the UI calls (navigation, modal, subscribe dialog) are stubbed.
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { installWx, loadPage, tap, input, text, texts, FakeServer } = require('./helpers');

const BASE = process.env.MP_LIVE_BASE;
const live = BASE ? describe : describe.skip;

function realRequest(opts) {
  const url = new URL(opts.url);
  const body = opts.data === undefined ? null : JSON.stringify(opts.data);
  const req = http.request(
    {
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      method: opts.method,
      headers: { ...opts.header, ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}) },
    },
    (res) => {
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        raw += chunk;
      });
      res.on('end', () => {
        let data = raw;
        try {
          data = raw ? JSON.parse(raw) : '';
        } catch (err) {
          // not JSON: hand it on as text, as wx.request does
        }
        opts.success({ statusCode: res.statusCode, data, header: res.headers });
      });
    },
  );
  req.on('error', (err) => opts.fail({ errMsg: `request:fail ${err.message}` }));
  if (body) req.write(body);
  req.end();
}

// wx.downloadFile: the body saved to a temporary file whatever the status, as WeChat does.
function realDownload(opts) {
  const url = new URL(opts.url);
  const req = http.get(
    {
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers: opts.header,
    },
    (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-download-'));
        const tempFilePath = path.join(dir, 'file');
        fs.writeFileSync(tempFilePath, Buffer.concat(chunks));
        opts.success({ statusCode: res.statusCode, tempFilePath });
      });
    },
  );
  req.on('error', (err) => opts.fail({ errMsg: `downloadFile:fail ${err.message}` }));
}

async function settle(page, selector, tries = 100) {
  for (let i = 0; i < tries; i += 1) {
    if (page.querySelector(selector)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${selector} never appeared; error: ${text(page, '.error')}`);
}

async function until(check, tries = 100) {
  for (let i = 0; i < tries; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out');
}

live('against the running backend', () => {
  const codes = JSON.parse(process.env.MP_LOGIN_CODES || '[]');
  let wx;

  beforeAll(() => {
    const config = require('../config');
    config.baseUrl = BASE;
    wx = installWx(new FakeServer(), {
      request: jest.fn(realRequest),
      downloadFile: jest.fn(realDownload),
      getFileSystemManager: () => ({ readFileSync: (p, enc) => fs.readFileSync(p, enc) }),
      login: jest.fn(({ success }) => success({ code: codes.shift() })),
    });
  });

  beforeEach(() => {
    // loadPage isolates modules: each page reads config afresh, so point it at the server.
    jest.doMock('../config', () => ({
      baseUrl: BASE,
      devOpenid: '',
      noticeTemplateId: 'tmpl-notice-demo',
      requestTimeoutMs: 15000,
      networkRetries: 2,
    }));
  });

  test('home: logs in with the WeChat code, knows the retiree, shows the sections', async () => {
    const page = await loadPage('index');
    await settle(page, '.notices');
    await until(() => page.data.loaded);
    expect(text(page, '.error')).toBeNull();
    expect(wx.login).toHaveBeenCalledTimes(1);
    expect(wx.request.mock.calls.every(([opts]) => opts.url.startsWith(BASE))).toBe(true);
    expect(page.data.acting.name).toBe('王建国');
    expect(text(page, '.notices')).toContain('消息');
  });

  test('activities: list, photo, sign up, the sign-in code, cancel with a confirmation', async () => {
    const id = process.env.MP_ACTIVITY_ID;
    const list = await loadPage('activities');
    await settle(list, '.activity');
    expect(texts(list, '.activity')[0]).toContain('春游颐和园');

    const page = await loadPage('activity', { id });
    await settle(page, '.sign-up');
    await settle(page, '.photo');
    expect(fs.readFileSync(page.data.photo).subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    await tap(page, '.sign-up');
    await settle(page, '.done');
    expect(text(page, '.done')).toBe('报名成功。活动前一天会提醒您。');
    await settle(page, '.cancel');
    expect(text(page, '.mine')).toContain('已报名');
    await tap(page, '.show-code');
    await settle(page, '.signin-code');
    expect(text(page, '.signin-code')).toMatch(/^JX\d+[A-Z0-9]+$/);
    expect(page.data.signin.qr_svg).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(text(page, '.error')).toBeNull();
    await tap(page, '.cancel');
    await until(() => text(page, '.done') === '已取消报名。');
    expect(text(page, '.error')).toBeNull();
  });

  test('bot: a policy question is answered with its source', async () => {
    const page = await loadPage('bot');
    await input(page, '.question', '体检多久一次');
    await tap(page, '.send');
    await until(() => page.data.messages.length === 2);
    expect(text(page, '.error')).toBeNull();
    expect(page.data.messages[1].text.length).toBeGreaterThan(5);
  });

  test('settings: consent on a tap is recorded, and preferences save', async () => {
    const page = await loadPage('settings');
    await settle(page, '.subscribe');
    await tap(page, '.subscribe');
    await until(() => page.data.remaining === 1);
    await tap(page, '.save');
    await until(() => text(page, '.saved') === '已保存。');
  });

  test('family: the retiree makes an invite code', async () => {
    const page = await loadPage('family');
    await settle(page, '.create-invite');
    await tap(page, '.create-invite');
    await settle(page, '.code');
    expect(text(page, '.code')).toMatch(/^[A-Z0-9]{8}$/);
  });

  test('meals: book a lunch from the menu, then cancel it', async () => {
    const page = await loadPage('meals');
    await settle(page, '.start-order');
    expect(text(page, '.option')).toContain('红烧鱼、青菜');
    await tap(page, '.start-order');
    await tap(page, '.place-order');
    await until(() => (text(page, '.done') || '').startsWith('订好了'));
    await settle(page, '.cancel-order');
    await tap(page, '.cancel-order');
    await until(() => text(page, '.done') === '已取消这份饭。');
    expect(text(page, '.error')).toBeNull();
  });

  test('rides: request a ride to a common destination; it shows in my rides', async () => {
    const form = await loadPage('ride-new');
    await settle(form, '.destination');
    await tap(form, '.destination');
    form.querySelector('.date').dispatchEvent('change', { detail: { value: '2026-03-04' } });
    form.querySelector('.time').dispatchEvent('change', { detail: { value: '09:00' } });
    await tap(form, '.submit');
    await until(() => wx.redirectTo.mock.calls.length === 1 || text(form, '.error'));
    expect(text(form, '.error')).toBeNull();
    const list = await loadPage('rides');
    await settle(list, '.ride');
    expect(text(list, '.ride')).toContain('3月4日（周三）上午 9:00 去市第一人民医院');
    expect(text(list, '.ride')).toContain('已申请');
  });

  test('check-in, inbox, meals and rides load without an error', async () => {
    for (const name of ['checkin', 'inbox', 'meals', 'standing', 'rides', 'ride-new']) {
      const page = await loadPage(name);
      await until(() => page.data.loaded);
      expect([name, text(page, '.error')]).toEqual([name, null]);
    }
  });
});
