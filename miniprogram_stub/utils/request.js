// The one request module: every call to the server goes through `call` (JSON), `upload`
// (wx.uploadFile) or `download` (wx.downloadFile).
// - base URL from config.js, the session token, a silent new login when the token expired;
// - only endpoints declared in utils/api.js, only the declared query/body fields;
// - a failure as an ApiError (status, code, the server's message); utils/errors.js decides
//   what the page says about it;
// - a retry after a network failure, only for requests that cannot double-book
//   (reads, PUTs, and bookings/submissions carrying their idempotency key).
const config = require('../config');
const api = require('./api');
const errors = require('./errors');

const NETWORK_MESSAGE = errors.NETWORK;

class ApiError extends Error {
  constructor(message, { status = 0, code = 'network', detail = null, fromServer = false } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.fromServer = fromServer; // the message is the server's own sentence
  }
}

let counter = 0;

// A key made once per user action (a tap on 报名/预订/提交), reused by every retry of it.
function newKey() {
  counter += 1;
  const rand = Math.random().toString(36).slice(2, 10);
  return `mp-${Date.now().toString(36)}-${counter}-${rand}`;
}

function buildTree(fields) {
  const tree = {};
  fields.forEach((field) => {
    let node = tree;
    field
      .replace(/\[\]/g, '.[]')
      .split('.')
      .filter(Boolean)
      .forEach((part) => {
        node[part] = node[part] || {};
        node = node[part];
      });
  });
  return tree;
}

// Keep only the declared fields: a page cannot read what the contract test did not check.
function pickTree(value, tree) {
  const keys = Object.keys(tree);
  if (keys.length === 0 || value === null || value === undefined) return value;
  if (Array.isArray(value)) return tree['[]'] ? value.map((v) => pickTree(v, tree['[]'])) : value;
  if (typeof value !== 'object') return value;
  const out = {};
  keys.forEach((key) => {
    if (key !== '[]' && key in value) out[key] = pickTree(value[key], tree[key]);
  });
  return out;
}

function pick(value, fields) {
  if (!fields || fields.length === 0) return null;
  return pickTree(value, buildTree(fields));
}

function check(endpoint, params, query, data) {
  if (!endpoint || api[endpoint.name] !== endpoint) {
    throw new Error('request: use an endpoint from utils/api.js');
  }
  Object.keys(query).forEach((k) => {
    if (endpoint.query.indexOf(k) < 0) throw new Error(`${endpoint.name}: query ${k} not declared`);
  });
  Object.keys(data || {}).forEach((k) => {
    if (endpoint.sends.indexOf(k) < 0) throw new Error(`${endpoint.name}: field ${k} not declared`);
  });
  const idem = endpoint.idempotencyField;
  if (idem && !(data && data[idem])) throw new Error(`${endpoint.name}: ${idem} is required`);
  return endpoint.path.replace(/\{(\w+)\}/g, (_, name) => {
    if (params[name] === undefined || params[name] === null) {
      throw new Error(`${endpoint.name}: path parameter ${name} missing`);
    }
    return encodeURIComponent(params[name]);
  });
}

function buildUrl(endpoint, path, query) {
  const pairs = Object.keys(query)
    .filter((k) => query[k] !== undefined && query[k] !== null && query[k] !== '')
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k])}`);
  const base = endpoint.external === 'fake-wechat' ? `${config.baseUrl}/fake-wechat` : config.baseUrl;
  return base + path + (pairs.length ? `?${pairs.join('&')}` : '');
}

function canRetry(endpoint) {
  return endpoint.method === 'GET' || endpoint.method === 'PUT' || !!endpoint.idempotencyField;
}

function once(url, method, data, token) {
  const header = { 'Content-Type': 'application/json' };
  if (token) header.Authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method,
      data: data === undefined ? undefined : data,
      header,
      timeout: config.requestTimeoutMs,
      success: resolve,
      fail: reject,
    });
  });
}

function pause(ms) {
  return new Promise((resolve) => {
    if (ms > 0) setTimeout(resolve, ms);
    else resolve();
  });
}

async function send(endpoint, url, data, token) {
  const attempts = 1 + (canRetry(endpoint) ? config.networkRetries : 0);
  for (let i = 0; i < attempts; i += 1) {
    try {
      return await once(url, endpoint.method, data, token);
    } catch (err) {
      if (i + 1 < attempts) await pause(config.retryDelayMs * (i + 1));
    }
  }
  throw new ApiError(NETWORK_MESSAGE);
}

function failure(res) {
  const body = res.data && typeof res.data === 'object' ? res.data : {};
  const fromServer = typeof body.message === 'string' && !!body.message;
  return new ApiError(fromServer ? body.message : errors.GENERIC, {
    status: res.statusCode,
    code: body.code || `http_${res.statusCode}`,
    detail: body.detail === undefined ? null : body.detail,
    fromServer,
  });
}

// call(api.signUp, { params: { activity_id }, data: { ..., idempotency_key } })
async function call(endpoint, { params = {}, query = {}, data } = {}) {
  const path = check(endpoint, params, query, data);
  if (endpoint.download) throw new Error(`${endpoint.name}: a file, use download()`);
  const url = buildUrl(endpoint, path, query);
  const auth = endpoint.auth ? require('./auth') : null; // lazy: auth.js uses call() too
  let token = auth ? await auth.ensureToken() : '';
  let res = await send(endpoint, url, data, token);
  if (res.statusCode === 401 && auth) {
    // The session expired: log in again silently and repeat the request once.
    auth.forgetToken();
    token = await auth.login();
    res = await send(endpoint, url, data, token);
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return pick(res.data, endpoint.reads);
  throw failure(res);
}

function uploadOnce(url, field, filePath, token) {
  return new Promise((resolve, reject) => {
    wx.uploadFile({
      url,
      filePath,
      name: field,
      header: token ? { Authorization: `Bearer ${token}` } : {},
      timeout: config.requestTimeoutMs,
      success: (res) => {
        let data = res.data;
        try {
          data = JSON.parse(res.data);
        } catch (err) {
          // not JSON: failure() falls back to a plain message
        }
        resolve({ statusCode: res.statusCode, data });
      },
      fail: () => reject(new ApiError(NETWORK_MESSAGE)),
    });
  });
}

// upload(api.checkinPhoto, { query: { retiree_id }, filePath }) — not retried: the user taps
// again, and a second photo simply replaces the first.
async function upload(endpoint, { query = {}, filePath }) {
  const path = check(endpoint, {}, query, undefined);
  if (!endpoint.upload) throw new Error(`${endpoint.name}: not an upload endpoint`);
  const url = buildUrl(endpoint, path, query);
  const auth = require('./auth');
  let res = await uploadOnce(url, endpoint.upload, filePath, await auth.ensureToken());
  if (res.statusCode === 401) {
    auth.forgetToken();
    res = await uploadOnce(url, endpoint.upload, filePath, await auth.login());
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return pick(res.data, endpoint.reads);
  throw failure(res);
}

function downloadOnce(url, token) {
  return new Promise((resolve, reject) => {
    wx.downloadFile({
      url,
      header: token ? { Authorization: `Bearer ${token}` } : {},
      timeout: config.requestTimeoutMs,
      success: (res) => resolve({ statusCode: res.statusCode, tempFilePath: res.tempFilePath }),
      fail: reject,
    });
  });
}

// A refused download is saved as a file too: read the server's JSON message out of it.
function downloadFailure(res) {
  let data = null;
  try {
    data = JSON.parse(wx.getFileSystemManager().readFileSync(res.tempFilePath, 'utf8'));
  } catch (err) {
    // unreadable or not JSON: failure() falls back to a plain message
  }
  return failure({ statusCode: res.statusCode, data });
}

async function sendDownload(endpoint, url, token) {
  const attempts = 1 + (canRetry(endpoint) ? config.networkRetries : 0);
  for (let i = 0; i < attempts; i += 1) {
    try {
      return await downloadOnce(url, token);
    } catch (err) {
      if (i + 1 < attempts) await pause(config.retryDelayMs * (i + 1));
    }
  }
  throw new ApiError(NETWORK_MESSAGE);
}

// download(api.activityPhoto, { params: { activity_id }, query: { retiree_id } }) → a temporary
// file path for <image src>. Retried like a read; a new login once when the session expired.
async function download(endpoint, { params = {}, query = {} } = {}) {
  const path = check(endpoint, params, query, undefined);
  if (!endpoint.download) throw new Error(`${endpoint.name}: not a download endpoint`);
  const url = buildUrl(endpoint, path, query);
  const auth = require('./auth');
  let res = await sendDownload(endpoint, url, await auth.ensureToken());
  if (res.statusCode === 401) {
    auth.forgetToken();
    res = await sendDownload(endpoint, url, await auth.login());
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.tempFilePath;
  throw downloadFailure(res);
}

module.exports = { call, upload, download, newKey, pick, ApiError, NETWORK_MESSAGE };
