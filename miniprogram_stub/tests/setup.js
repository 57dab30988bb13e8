// Loaded before every test file: quick retries, and no real wx until a test installs one.
const config = require('../config');

config.retryDelayMs = 0;
config.devOpenid = '';

// WeChat's plugins do not exist in miniprogram-simulate: a fake 同声传译 (tests/wechat_si.js).
require('./wechat_si').installWechatSI();
