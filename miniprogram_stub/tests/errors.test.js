// utils/errors.js: every failure a page shows is a sentence for a retiree with the next step;
// the server's field lists, English and HTML never reach the screen.
const errors = require('../utils/errors');
const { ApiError } = require('../utils/request');
const { FakeServer, installWx, loadPage, tap, input, text, loggedIn, ME_UNBOUND } = require('./helpers');

function apiError(status, code, message) {
  return new ApiError(message, { status, code, fromServer: true });
}

describe('describe()', () => {
  test('no connection: check the network, no call', () => {
    expect(errors.describe(new ApiError(errors.NETWORK))).toEqual({ text: errors.NETWORK, call: false });
  });

  test("the server's plain Chinese sentence for its typed errors is kept", () => {
    const err = apiError(409, 'too_late_to_cancel', '已过取消时间。请打电话告诉工作人员。');
    expect(errors.describe(err)).toEqual({ text: '已过取消时间。请打电话告诉工作人员。', call: false });
  });

  test('a list of field errors becomes the page sentence, never the list', () => {
    const err = apiError(422, 'validation_error', '登录凭证格式不对；id_tail格式不对');
    expect(errors.describe(err).text).toBe(errors.VALIDATION);
    expect(errors.describe(err, { validation: '绑定码没有填对。' }).text).toBe('绑定码没有填对。');
  });

  test('English in a server message is never shown', () => {
    const err = apiError(400, 'bad_request', 'Invalid token');
    expect(errors.describe(err)).toEqual({ text: errors.GENERIC, call: true });
  });

  test('a 5xx, a gateway page or a bug in the client: the generic sentence and the call', () => {
    expect(errors.GENERIC).toBe('出了点问题，请稍后再试，或打电话给所里。');
    const gateway = new ApiError(errors.GENERIC, { status: 502, code: 'http_502' });
    expect(errors.describe(gateway)).toEqual({ text: errors.GENERIC, call: true });
    const server = apiError(500, 'internal_error', '服务器内部错误');
    expect(errors.describe(server)).toEqual({ text: errors.GENERIC, call: true });
    expect(errors.describe(new TypeError("Cannot read properties of undefined (reading 'id')"))).toEqual({
      text: errors.GENERIC,
      call: true,
    });
  });

  test('known codes get our own sentence', () => {
    expect(errors.describe(apiError(401, 'session_expired', '会话过期')).text).toContain('重新打开');
    expect(errors.describe(apiError(415, 'photo_type', '只能上传 JPG 或 PNG 照片。')).text).not.toMatch(/[A-Za-z]/);
  });

  test('too many tries: the server says how long to wait, and that is what is shown', () => {
    const bind = '次数太多了。请37分钟后再试。也可以请工作人员帮您绑定。';
    expect(errors.describe(apiError(429, 'too_many_requests', bind))).toEqual({ text: bind, call: false });
    const unreadable = apiError(429, 'too_many_requests', 'Too Many Requests');
    expect(errors.describe(unreadable).text).toContain('打电话给所里');
    expect(errors.describe(unreadable).text).not.toContain('一分钟');
  });

  test("the client's own sentences are shown as written", () => {
    expect(errors.describe(errors.say('微信登录没有成功，请再点一次。'))).toEqual({
      text: '微信登录没有成功，请再点一次。',
      call: false,
    });
  });
});

describe('on a page', () => {
  test('an unknown failure offers 打电话给所里, which calls the unit when its number is known', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/rides', () => FakeServer.reply(500, { code: 'internal_error', message: 'Internal Server Error', detail: null }));
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('rides');
    expect(text(page, '.error')).toBe('出了点问题，请稍后再试，或打电话给所里。');
    await tap(page, '.call-unit');
    expect(wx.makePhoneCall).not.toHaveBeenCalled();
    expect(text(page, '.error')).toContain('值班电话');
    errors.rememberUnitPhone('010-64210001'); // kept in storage, which the page shares
    const again = await loadPage('rides');
    await tap(again, '.call-unit');
    expect(wx.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '010-64210001' });
  }, 20000);

  test('a network failure does not offer the call', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/rides', () => FakeServer.NETWORK);
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('rides');
    expect(text(page, '.error')).toBe(errors.NETWORK);
    expect(page.querySelector('.call-unit')).toBeFalsy();
  });

  test("bind: the server's field list is never shown; codes are normalised before sending", async () => {
    const server = new FakeServer();
    server.me = ME_UNBOUND;
    server.on('POST', '/api/v1/bind/retiree', () =>
      FakeServer.error(422, '登录凭证格式不对；id_tail格式不对', 'validation_error'),
    );
    installWx(server);
    const page = await loadPage('bind');
    await tap(page, '.mode-retiree');
    await input(page, '.code', '１２３ ４５６');
    await input(page, '.id-tail', '００１ｘ');
    await tap(page, '.submit');
    expect(server.calls('POST', '/api/v1/bind/retiree')[0].data).toEqual({ code: '123456', id_tail: '001X' });
    expect(page.data.form.code).toBe('123456');
    expect(page.data.form.id_tail).toBe('001X');
    const shown = text(page, '.error');
    expect(shown).not.toContain('id_tail');
    expect(shown).not.toContain('登录凭证');
    expect(shown).toContain('绑定码');
  });

  test('bind: a short code is explained before anything is sent', async () => {
    const server = new FakeServer();
    server.me = ME_UNBOUND;
    installWx(server);
    const page = await loadPage('bind');
    await tap(page, '.mode-retiree');
    await input(page, '.code', '１２３４５');
    await input(page, '.id-tail', '1234');
    await tap(page, '.submit');
    expect(server.calls('POST', '/api/v1/bind/retiree')).toHaveLength(0);
    expect(text(page, '.error')).toBe('绑定码是6位数字，请对照工作人员给的纸条再填一次。');
  });
});
