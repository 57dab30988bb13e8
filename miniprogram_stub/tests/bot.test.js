const { FakeServer, installWx, loadPage, tap, input, text, texts, loggedIn, flush } = require('./helpers');
const { installWechatSI } = require('./wechat_si');

function answer(overrides = {}) {
  return {
    answer: '每年体检一次。', answered: true, confidence: 0.9, intent: null,
    sources: [{ doc_id: 'jl', clause: '第二十条', title: '《吉林省军休干部服务管理办法》第二十条', excerpt: '每年组织一次健康体检。' }],
    suggestions: ['体检在哪里做', '体检要空腹吗'], handoff_offered: false, ...overrides,
  };
}

test('an answer shows its source and suggestion chips; a chip asks again', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () => answer());
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await input(page, '.question', '体检多久一次');
  await tap(page, '.send');
  expect(server.calls('POST', '/api/v1/bot/ask')[0].data).toEqual({ question: '体检多久一次' });
  const messages = texts(page, '.msg');
  expect(messages[0]).toContain('我问：体检多久一次');
  expect(messages[1]).toContain('每年体检一次。');
  // The API's title already names the clause (bot/answer.py _title): shown once, not twice.
  expect(text(page, '.source .strong')).toBe('依据：《吉林省军休干部服务管理办法》第二十条');
  expect(texts(page, '.suggestion')).toEqual(['体检在哪里做', '体检要空腹吗']);
  await tap(page, '.suggestion');
  expect(server.calls('POST', '/api/v1/bot/ask')[1].data).toEqual({ question: '体检在哪里做' });
});

test('an intent offers its page', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () =>
    answer({ answer: '好的，带您去订餐页面。', intent: 'meal', sources: [], suggestions: [] }),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await input(page, '.question', '我要订午饭');
  await tap(page, '.send');
  expect(text(page, '.open-target')).toBe('去订餐');
  await tap(page, '.open-target');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/meals/meals' });
});

test('the notice intent switches to the inbox tab', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () => answer({ intent: 'notice', sources: [] }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await input(page, '.question', '有新通知吗');
  await tap(page, '.send');
  await tap(page, '.open-target');
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/inbox/inbox' });
});

test('找工作人员 hands the last question to staff and shows their reply', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () =>
    answer({ answer: '这个问题我答不上来。', answered: false, sources: [], handoff_offered: true }),
  );
  server.on('POST', '/api/v1/bot/handoff', () => ({
    id: 3, message: '已转给工作人员，他们会尽快回复您，回复会出现在“消息”里。',
  }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await tap(page, '.handoff');
  expect(text(page, '.error')).toContain('请先在下面写下您想问的事');
  await input(page, '.question', '我的医药费怎么报');
  await tap(page, '.send');
  await tap(page, '.handoff-offer');
  expect(server.calls('POST', '/api/v1/bot/handoff')[0].data).toEqual({ question: '我的医药费怎么报' });
  expect(texts(page, '.msg').pop()).toContain('已转给工作人员');
});

test('my questions to staff are listed with the staff answer', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/bot/questions', () => [
    { id: 3, at: '2026-11-24T02:00:00Z', question: '我的医药费怎么报', status: '已回复', staff_answer: '请带发票到所里。', answered_at: '2026-11-24T06:00:00Z' },
    { id: 4, at: '2026-11-25T02:00:00Z', question: '暖气费补贴', status: '等待回复', staff_answer: null, answered_at: null },
  ]);
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await tap(page, '.show-asked');
  const rows = texts(page, '.asked');
  expect(rows[0]).toContain('我的医药费怎么报');
  expect(rows[0]).toContain('工作人员回复：请带发票到所里。');
  expect(rows[1]).toContain('等待回复');
});

// ---- 有用 / 没用 ----------------------------------------------------------------------------

test('有用 / 没用 under a policy answer: the vote is sent, thanked, and can be changed', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () => answer({ answer_id: 41 }));
  server.on('POST', '/api/v1/bot/answers/{answer_id}/feedback', (req) => ({
    answer_id: Number(req.params.answer_id),
    helpful: req.data.helpful,
    message: req.data.helpful
      ? '谢谢您！'
      : '谢谢您告诉我们。工作人员会看这个问题，写好回复后发消息告诉您。',
  }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await input(page, '.question', '体检多久一次');
  await tap(page, '.send');
  expect(text(page, '.vote-ask')).toBe('这个回答对您有用吗？');
  expect(texts(page, '.vote')).toEqual(['有用', '没用']);

  await tap(page, '.useless');
  const votes = server.calls('POST', '/api/v1/bot/answers/41/feedback');
  expect(votes.map((v) => v.data)).toEqual([{ helpful: false }]);
  expect(text(page, '.thanks')).toContain('工作人员会看这个问题');
  expect(texts(page, '.vote')).toEqual(['有用', '✓ 没用']);

  await tap(page, '.useful');
  expect(server.calls('POST', '/api/v1/bot/answers/41/feedback')[1].data).toEqual({ helpful: true });
  expect(text(page, '.thanks')).toBe('谢谢您！');
  expect(texts(page, '.vote')).toEqual(['✓ 有用', '没用']);
});

test('an answer without an answer id (a page to open, a greeting) has no vote buttons', async () => {
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () =>
    answer({ answer: '好的，带您去订餐页面。', intent: 'meal', sources: [], answer_id: null }),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await input(page, '.question', '我要订午饭');
  await tap(page, '.send');
  expect(page.querySelector('.vote')).toBeFalsy();
});

// ---- voice: 按住说话 and 朗读 (WeChat's 同声传译 plugin, faked in tests/wechat_si.js) ----------

afterEach(() => {
  installWechatSI(); // a test may have taken the plugin away
});

async function hold(page) {
  page.querySelector('.talk').dispatchEvent('touchstart');
  await flush();
}

async function letGo(page) {
  page.querySelector('.talk').dispatchEvent('touchend');
  await flush();
}

test('hold to talk: what was heard is asked exactly like typed text', async () => {
  const si = installWechatSI();
  si.manager.result = '体检多久一次';
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () => answer({ answer_id: 41 }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  expect(global.requirePlugin).toHaveBeenCalledWith('WechatSI');
  expect(text(page, '.talk')).toBe('按住 说话');

  await hold(page);
  expect(si.manager.start).toHaveBeenCalledWith({ lang: 'zh_CN', duration: 60000 });
  expect(text(page, '.talk')).toBe('松开手，就问出去');
  expect(text(page, '.listening')).toContain('正在听');
  expect(server.calls('POST', '/api/v1/bot/ask')).toHaveLength(0);

  await letGo(page);
  expect(si.manager.stop).toHaveBeenCalledTimes(1);
  expect(server.calls('POST', '/api/v1/bot/ask').map((c) => c.data)).toEqual([
    { question: '体检多久一次' },
  ]);
  const messages = texts(page, '.msg');
  expect(messages[0]).toContain('我问：体检多久一次');
  expect(messages[1]).toContain('每年体检一次。');
  expect(text(page, '.talk')).toBe('按住 说话');
  expect(page.querySelector('.listening')).toBeFalsy();
});

test('hold to talk: nothing heard asks nothing and says so', async () => {
  const si = installWechatSI();
  si.manager.result = '   ';
  const server = new FakeServer();
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await hold(page);
  await letGo(page);
  expect(server.calls('POST', '/api/v1/bot/ask')).toHaveLength(0);
  expect(text(page, '.error')).toContain('没听清，请再说一遍');
  expect(page.querySelectorAll('.msg')).toHaveLength(0);
});

test('hold to talk: a recognition error says the same, and the button is ready again', async () => {
  const si = installWechatSI();
  const server = new FakeServer();
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await hold(page);
  si.manager.fail(-30003, '录音帧数据未产生');
  await flush();
  expect(text(page, '.error')).toContain('没听清，请再说一遍');
  expect(text(page, '.talk')).toBe('按住 说话');
  expect(server.calls('POST', '/api/v1/bot/ask')).toHaveLength(0);
});

test('朗读 reads the answer aloud through textToSpeech and plays it; tapping again stops', async () => {
  const si = installWechatSI();
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () => answer({ answer_id: 41 }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await input(page, '.question', '体检多久一次');
  await tap(page, '.send');
  expect(texts(page, '.read')).toEqual(['朗读']); // only under the answer, not under my question

  await tap(page, '.read');
  expect(si.textToSpeech).toHaveBeenCalledTimes(1);
  const [opts] = si.textToSpeech.mock.calls[0];
  expect(opts.lang).toBe('zh_CN');
  expect(opts.content).toBe('每年体检一次。');
  expect(wx.audio.src).toBe('https://tts.example/1.mp3');
  expect(wx.audio.play).toHaveBeenCalledTimes(1);
  expect(text(page, '.read')).toBe('停止朗读');

  wx.audio.ended(); // the last piece has been played
  await flush();
  expect(text(page, '.read')).toBe('朗读');

  await tap(page, '.read');
  await tap(page, '.read');
  expect(wx.audio.stop).toHaveBeenCalled();
  expect(text(page, '.read')).toBe('朗读');
});

test('朗读 a long answer: pieces within textToSpeech\'s limit, played one after another', async () => {
  const si = installWechatSI();
  const long = `${'第一句话说的是体检的安排。'.repeat(30)}最后一句。`;
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () => answer({ answer: long }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await input(page, '.question', '体检怎么安排');
  await tap(page, '.send');
  await tap(page, '.read');
  expect(si.textToSpeech).toHaveBeenCalledTimes(1);
  wx.audio.ended();
  await flush();
  expect(si.textToSpeech).toHaveBeenCalledTimes(2);
  const spoken = si.textToSpeech.mock.calls.map(([o]) => o.content);
  spoken.forEach((piece) => expect(piece.length).toBeLessThanOrEqual(300));
  expect(spoken.join('')).toBe(long);
  expect(wx.audio.play).toHaveBeenCalledTimes(2);
  wx.audio.ended();
  await flush();
  expect(text(page, '.read')).toBe('朗读');
});

test('朗读 that fails says so on the page', async () => {
  const si = installWechatSI();
  si.textToSpeech.mockImplementation((opts) => opts.fail({ retcode: -20001 }));
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () => answer());
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  await input(page, '.question', '体检多久一次');
  await tap(page, '.send');
  await tap(page, '.read');
  expect(text(page, '.error')).toContain('朗读没有成功');
  expect(text(page, '.read')).toBe('朗读');
});

test('without the plugin (not enabled yet) the page works and hides the voice buttons', async () => {
  global.requirePlugin = undefined;
  const server = new FakeServer();
  server.on('POST', '/api/v1/bot/ask', () => answer());
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('bot');
  expect(page.querySelector('.talk')).toBeFalsy();
  await input(page, '.question', '体检多久一次');
  await tap(page, '.send');
  expect(page.querySelector('.read')).toBeFalsy();
  expect(texts(page, '.msg')[1]).toContain('每年体检一次。');
});
