// Login, the session token, who I am, and which retiree I am acting for.
const config = require('../config');
const api = require('./api');
const errors = require('./errors');
const request = require('./request');

const TOKEN_KEY = 'junxiu.token';
const ME_KEY = 'junxiu.me';
const ACTING_KEY = 'junxiu.acting';

let pendingLogin = null;

function currentToken() {
  return wx.getStorageSync(TOKEN_KEY) || '';
}

function forgetToken() {
  wx.removeStorageSync(TOKEN_KEY);
}

function wxLoginCode() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) =>
        res.code
          ? resolve(res.code)
          : reject(errors.say('微信登录没有成功，请再点一次。')),
      fail: () => reject(errors.say('微信登录没有成功，请检查网络后再点一次。')),
    });
  });
}

async function loginCode() {
  if (config.devOpenid) {
    const res = await request.call(api.fakeLoginCode, { data: { openid: config.devOpenid } });
    return res.code;
  }
  return wxLoginCode();
}

function choicesOf(me) {
  if (!me || !me.bound) return [];
  const list = [];
  if (me.retiree) {
    list.push({
      retiree_id: me.retiree.id,
      name: me.retiree.name,
      relation: '本人',
      self: true,
      can_book: true,
      can_submit_checkin: true,
      can_receive_notices: true,
      can_see_health: true,
    });
  }
  (me.following || []).forEach((f) => {
    list.push({
      retiree_id: f.retiree_id,
      name: f.name,
      relation: f.relation,
      binding_id: f.binding_id,
      self: false,
      can_book: f.can_book,
      can_submit_checkin: f.can_submit_checkin,
      can_receive_notices: f.can_receive_notices,
      can_see_health: !!f.can_see_health,
      deceased: !!f.deceased,
      died_on: f.died_on || null,
    });
  });
  return list;
}

function saveMe(me) {
  wx.setStorageSync(ME_KEY, me);
  const choices = choicesOf(me);
  const acting = wx.getStorageSync(ACTING_KEY);
  if (!choices.some((c) => c.retiree_id === acting)) {
    wx.setStorageSync(ACTING_KEY, choices.length ? choices[0].retiree_id : 0);
  }
  return me;
}

// One login at a time, however many requests found the token missing or expired.
function login() {
  if (!pendingLogin) {
    pendingLogin = (async () => {
      const code = await loginCode();
      const session = await request.call(api.login, { data: { code } });
      wx.setStorageSync(TOKEN_KEY, session.token);
      saveMe(session.identity);
      return session.token;
    })();
    pendingLogin.then(
      () => {
        pendingLogin = null;
      },
      () => {
        pendingLogin = null;
      },
    );
  }
  return pendingLogin;
}

async function ensureToken() {
  return currentToken() || login();
}

function me() {
  return wx.getStorageSync(ME_KEY) || null;
}

async function refreshMe() {
  return saveMe(await request.call(api.me));
}

async function ready() {
  await ensureToken();
  return me() || refreshMe();
}

function choices() {
  return choicesOf(me());
}

function acting() {
  const id = wx.getStorageSync(ACTING_KEY);
  const list = choices();
  return list.find((c) => c.retiree_id === id) || list[0] || null;
}

function setActing(retireeId) {
  wx.setStorageSync(ACTING_KEY, retireeId);
  return acting();
}

// For pages that need a bound user: the retiree being acted for, or null after sending an
// unbound user to the binding page.
async function requireActing() {
  const m = await ready();
  if (!m.bound) {
    wx.reLaunch({ url: '/pages/bind/bind' });
    return null;
  }
  return acting();
}

module.exports = {
  login,
  ensureToken,
  forgetToken,
  currentToken,
  ready,
  me,
  saveMe,
  refreshMe,
  choices,
  acting,
  setActing,
  requireActing,
};
