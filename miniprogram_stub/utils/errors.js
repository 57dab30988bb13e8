// The one place that turns a failure into what the page says: a sentence a retiree understands,
// with the next step, and whether to offer 「打电话给所里」.
// - no connection → check the network and tap again;
// - the server's typed errors (4xx with our {code, message, detail} shape, see
//   backend/core/errors.py) → our own sentence for the codes below, else the server's sentence
//   when it is plain Chinese (no Latin letters, not a list of field errors);
// - a form the server could not read (422) → the page's own sentence, never the field list;
// - anything else (5xx, a gateway's HTML page, a bug in the client) → GENERIC with the call button.
const config = require('../config');

const GENERIC = '出了点问题，请稍后再试，或打电话给所里。';
const NETWORK = '网络不好，没有连上服务器。请检查网络后再点一次。';
const VALIDATION = '填的内容有不对的地方，请看一下再点一次。';
// Too many tries: the server says how long to wait (a minute for the bot, the rest of the hour
// for binding codes); this is said only when its sentence cannot be shown.
const TOO_MANY = '次数太多了。请过一会儿再试，或打电话给所里。';
const PHONE_KEY = 'junxiu.unitPhone';

// Our wording for codes whose server message is short or meant for staff.
const BY_CODE = {
  unauthorized: '登录过期了。请关掉小程序，再重新打开。',
  session_expired: '登录过期了。请关掉小程序，再重新打开。',
  not_logged_in: '登录过期了。请关掉小程序，再重新打开。',
  not_found: '没有找到，可能已经取消了。请回到上一页看看。',
  forbidden: '这件事您不能办。如有疑问，请打电话给所里。',
  database_busy: '现在办事的人多，请过一会儿再点一次。',
  service_unavailable: '现在办事的人多，请过一会儿再点一次。',
  // The server names file formats (JPG, PNG, MB): say what to do instead.
  unsupported_media: '这张照片打不开。请用手机相机直接拍一张再传。',
  photo_type: '这张照片打不开。请用手机相机直接拍一张再传。',
  too_large: '照片太大了。请用手机相机直接拍一张再传。',
  photo_too_large: '照片太大了。请用手机相机直接拍一张再传。',
};
const CALL_CODES = ['forbidden'];

function plainChinese(message) {
  return (
    typeof message === 'string' &&
    /[\u4e00-\u9fff]/.test(message) &&
    !/[A-Za-z]/.test(message) &&
    message.indexOf('；') < 0
  );
}

// A sentence the client itself wrote for this failure (WeChat refused the login, the user
// closed the permission dialog): shown as it is.
function say(text) {
  const err = new Error(text);
  err.name = 'UserMessage';
  return err;
}

// describe(err, { validation }) → { text, call }
function describe(err, options = {}) {
  const e = err || {};
  if (e.name === 'UserMessage') return { text: e.message, call: false };
  if (e.name !== 'ApiError') return { text: GENERIC, call: true }; // a bug, not the user's doing
  if (e.code === 'network' || !e.status) return { text: NETWORK, call: false };
  if (e.status === 422 || e.code === 'validation_error') {
    return { text: options.validation || VALIDATION, call: false };
  }
  if (BY_CODE[e.code]) return { text: BY_CODE[e.code], call: CALL_CODES.indexOf(e.code) >= 0 };
  if (e.status >= 400 && e.status < 500 && e.fromServer && plainChinese(e.message)) {
    return { text: e.message, call: false };
  }
  if (e.code === 'too_many_requests') return { text: TOO_MANY, call: true };
  return { text: GENERIC, call: true };
}

// The unit's phone: from config (set at deployment) or remembered from the server; '' if unknown.
function unitPhone() {
  return config.unitPhone || wx.getStorageSync(PHONE_KEY) || '';
}

function rememberUnitPhone(phone) {
  if (phone) wx.setStorageSync(PHONE_KEY, String(phone));
}

module.exports = { describe, say, unitPhone, rememberUnitPhone, GENERIC, NETWORK, VALIDATION };
