// Where the client finds the server, and development-only switches.
// Change baseUrl to your server (https in production; add it to the mini-program's
// "request 合法域名" in the WeChat admin console).
module.exports = {
  baseUrl: 'http://127.0.0.1:8000',
  // Development only: log in as a demo user through the demo server's fake WeChat
  // (POST /fake-wechat/_fake/login-code) instead of wx.login, whose real code the fake
  // does not know. Leave empty ('') for a real AppID and server.
  // Demo users: 'demo-retiree-openid' (a bound retiree), 'demo-family-openid' (a family member).
  devOpenid: '',
  // Subscribe-message template for notices (the server's WECHAT_NOTICE_TEMPLATE_ID).
  noticeTemplateId: 'tmpl-notice-demo',
  // The unit's phone for 「打电话给所里」 under an error ('' until it is known; utils/errors.js).
  unitPhone: '',
  requestTimeoutMs: 15000,
  // Retries after a network failure. Only requests that are safe to repeat are retried:
  // reads, and bookings/submissions that carry an idempotency key.
  networkRetries: 2,
  retryDelayMs: 800, // waits 0.8 s, then 1.6 s
};
