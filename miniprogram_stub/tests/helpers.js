// A fake wx at the boundary (storage, login, request, navigation, modal) and a fake server
// that answers by method + path, so pages run as they would in WeChat.
const path = require('path');
const simulate = require('miniprogram-simulate');

const ROOT = path.join(__dirname, '..');

const ME_RETIREE = {
  wechat_user_id: 1,
  bound: true,
  roles: ['retiree'],
  retiree: { id: 7, name: '张建国' },
  following: [],
};

const ME_FAMILY = {
  wechat_user_id: 2,
  bound: true,
  roles: ['family'],
  retiree: null,
  following: [
    {
      retiree_id: 7,
      name: '张建国',
      relation: '子女',
      binding_id: 31,
      can_receive_notices: true,
      can_submit_checkin: true,
      can_book: true,
    },
    {
      retiree_id: 8,
      name: '李秀兰',
      relation: '子女',
      binding_id: 32,
      can_receive_notices: true,
      can_submit_checkin: false,
      can_book: false,
    },
  ],
};

const ME_UNBOUND = { wechat_user_id: 3, bound: false, roles: [], retiree: null, following: [] };

function compile(pattern) {
  const names = [];
  const source = pattern.replace(/\{(\w+)\}/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${source}$`), names };
}

class Reply {
  constructor(status, body) {
    this.status = status;
    this.body = body;
  }
}

class FakeServer {
  constructor() {
    this.routes = [];
    this.requests = [];
    this.token = 'tok-1';
    this.me = ME_RETIREE;
    this.on('POST', '/api/v1/auth/wechat', () => ({
      token: this.token,
      expires_at: '2026-12-25T00:00:00Z',
      identity: this.me,
    }));
    this.on('GET', '/api/v1/me', () => this.me);
  }

  // handler(req) returns a body (200), FakeServer.reply(status, body), or FakeServer.NETWORK.
  on(method, pattern, handler) {
    this.routes.unshift({ method, ...compile(pattern), handler });
    return this;
  }

  handle(opts) {
    const url = new URL(opts.url);
    const req = {
      method: opts.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      data: opts.data,
      header: opts.header,
      params: {},
    };
    this.requests.push(req);
    const route = this.routes.find((r) => r.method === opts.method && r.regex.test(url.pathname));
    if (!route) {
      return { statusCode: 404, data: { code: 'http_404', message: '没有找到这个页面。' } };
    }
    const match = route.regex.exec(url.pathname);
    route.names.forEach((name, i) => {
      req.params[name] = match[i + 1];
    });
    const out = route.handler(req);
    if (out === FakeServer.NETWORK) return out;
    if (out instanceof Reply) return { statusCode: out.status, data: out.body };
    return { statusCode: 200, data: out };
  }

  calls(method, pathname) {
    return this.requests.filter((r) => r.method === method && r.path === pathname);
  }
}
FakeServer.NETWORK = { network: true };
FakeServer.reply = (status, body) => new Reply(status, body);
FakeServer.error = (status, message, code = 'bad_request') =>
  new Reply(status, { code, message, detail: null });

function installWx(server, extra = {}) {
  const storage = new Map();
  const wx = {
    getStorageSync: (key) => (storage.has(key) ? JSON.parse(storage.get(key)) : ''),
    setStorageSync: (key, value) => storage.set(key, JSON.stringify(value)),
    removeStorageSync: (key) => storage.delete(key),
    login: jest.fn(({ success }) => success({ code: 'wx-code-1', errMsg: 'login:ok' })),
    request: jest.fn((opts) => {
      Promise.resolve().then(() => {
        const res = server.handle(opts);
        if (res === FakeServer.NETWORK) opts.fail({ errMsg: 'request:fail timeout' });
        else opts.success(res);
      });
    }),
    getAppBaseInfo: jest.fn(() => ({ fontSizeScaleFactor: 1 })),
    navigateTo: jest.fn(),
    redirectTo: jest.fn(),
    reLaunch: jest.fn(),
    switchTab: jest.fn(),
    navigateBack: jest.fn(),
    showModal: jest.fn(({ success }) => success({ confirm: true, cancel: false })),
    requestSubscribeMessage: jest.fn(({ tmplIds, success }) => {
      const res = { errMsg: 'requestSubscribeMessage:ok' };
      tmplIds.forEach((id) => {
        res[id] = 'accept';
      });
      success(res);
    }),
    setClipboardData: jest.fn(({ success }) => success && success({})),
    makePhoneCall: jest.fn(),
    createInnerAudioContext: jest.fn(() => {
      const audio = {
        src: '',
        play: jest.fn(),
        stop: jest.fn(),
        destroy: jest.fn(),
        onEnded: (cb) => {
          audio.ended = cb;
        },
        onError: (cb) => {
          audio.failed = cb;
        },
      };
      wx.audio = audio;
      return audio;
    }),
    ...extra,
  };
  wx._storage = storage;
  global.wx = wx;
  return wx;
}

async function flush(times = 8) {
  for (let i = 0; i < times; i += 1) {
    // Let promise chains (fake network, setData) settle.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function loadPage(name, query = {}) {
  const file = path.join(ROOT, name.indexOf('/') >= 0 ? name : `pages/${name}/${name}`);
  // A fresh module registry per load: the page's Component() call runs again, and utils start
  // clean (the state that matters lives in the fake wx storage).
  let id;
  jest.isolateModules(() => {
    require('../config').retryDelayMs = 0; // the page's own copy of config: retry at once
    id = simulate.load(file, { rootPath: ROOT });
  });
  const comp = simulate.render(id);
  comp.attach(document.createElement('parent-wrapper'));
  if (comp.instance.onLoad) comp.instance.onLoad(query);
  if (comp.instance.onShow) comp.instance.onShow();
  await flush();
  return comp;
}

async function tap(comp, selector) {
  const node = comp.querySelector(selector);
  if (!node) throw new Error(`nothing matches ${selector}`);
  node.dispatchEvent('tap');
  await flush();
  return node;
}

async function tapNth(comp, selector, n) {
  const nodes = comp.querySelectorAll(selector);
  if (nodes.length <= n) throw new Error(`only ${nodes.length} match ${selector}`);
  nodes[n].dispatchEvent('tap');
  await flush();
}

async function input(comp, selector, value) {
  const node = comp.querySelector(selector);
  if (!node) throw new Error(`nothing matches ${selector}`);
  node.dispatchEvent('input', { detail: { value } });
  await flush();
}

function text(comp, selector) {
  const node = comp.querySelector(selector);
  return node ? node.dom.textContent.replace(/\s+/g, ' ').trim() : null;
}

function texts(comp, selector) {
  return comp.querySelectorAll(selector).map((n) => n.dom.textContent.replace(/\s+/g, ' ').trim());
}

function loggedIn(wx, me = ME_RETIREE, token = 'tok-1') {
  wx.setStorageSync('junxiu.token', token);
  wx.setStorageSync('junxiu.me', me);
}

module.exports = {
  FakeServer,
  installWx,
  loadPage,
  flush,
  tap,
  tapNth,
  input,
  text,
  texts,
  loggedIn,
  ME_RETIREE,
  ME_FAMILY,
  ME_UNBOUND,
  ROOT,
};
