// A fake of WeChat's 同声传译 plugin (WechatSI): miniprogram-simulate has no plugins, so
// tests/setup.js provides global.requirePlugin and tests install a fresh fake when they need one.
// The recognition manager recognises `manager.result` when stop() is called; textToSpeech
// answers at once with a file name per call.
function fakeWechatSI() {
  const manager = {
    result: '',
    start: jest.fn(function start() {
      if (this.onStart) this.onStart({ msg: 'Ok' });
    }),
    stop: jest.fn(function stop() {
      if (this.onStop) {
        this.onStop({ result: this.result, duration: 1500, tempFilePath: 'wxfile://r.mp3' });
      }
    }),
    fail(retcode, msg) {
      if (this.onError) this.onError({ retcode, msg });
    },
  };
  const si = {
    manager,
    getRecordRecognitionManager: jest.fn(() => manager),
    textToSpeech: jest.fn((opts) => {
      const n = si.textToSpeech.mock.calls.length;
      opts.success({ retcode: 0, origin: opts.content, filename: `https://tts.example/${n}.mp3` });
    }),
  };
  return si;
}

function installWechatSI() {
  const si = fakeWechatSI();
  global.requirePlugin = jest.fn((name) => {
    if (name !== 'WechatSI') throw new Error(`plugin ${name} is not declared in app.json`);
    return si;
  });
  return si;
}

module.exports = { fakeWechatSI, installWechatSI };
