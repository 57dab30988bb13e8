// Loaded before every test file: quick retries, and no real wx until a test installs one.
const config = require('../config');

config.retryDelayMs = 0;
config.devOpenid = '';
