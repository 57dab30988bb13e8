const { FakeServer, installWx, loadPage, tap, tapNth, input, text, texts, loggedIn, flush, ME_FAMILY } = require('./helpers');
const { installWechatSI } = require('./wechat_si');

const KINDS = ['咨询', '求助', '投诉', '建议'];

function theCase(overrides = {}) {
  return {
    id: 12,
    number: '信2026-0012',
    kind: '咨询',
    body: '取暖费什么时候报？',
    status: 'replied',
    status_text: '已答复，请您评价',
    created_at: '2026-11-20T02:00:00Z',
    due_on: '2026-11-27',
    reply: '12月10日前交到所里就行。',
    rating: null,
    can_rate: true,
    next_step: '请您点一下满意不满意。',
    messages: [
      { at: '2026-11-20T02:00:00Z', what: '收到', by: '所里', text: null },
      { at: '2026-11-22T02:00:00Z', what: '答复', by: '王干事', text: '12月10日前交到所里就行。' },
    ],
    ...overrides,
  };
}

function casesServer(list) {
  const server = new FakeServer();
  let current = list;
  server.on('GET', '/api/v1/cases', () => ({ data: current, count: current.length, kinds: KINDS }));
  server.set = (next) => {
    current = next;
  };
  return server;
}

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-25T02:00:00Z'));
});

afterEach(() => {
  jest.restoreAllMocks();
});

test('the list shows each case with its state, the reply and the next step', async () => {
  const open = theCase({
    id: 13, number: '信2026-0013', kind: '求助', body: '家里暖气不热。', status: 'open',
    status_text: '正在办理', reply: null, can_rate: false, next_step: '所里会在12月3日前答复您。',
  });
  const server = casesServer([theCase(), open]);
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('cases');
  expect(server.calls('GET', '/api/v1/cases')[0].query).toEqual({ retiree_id: '7' });
  expect(text(page, '.h1')).toBe('我反映的事');
  expect(texts(page, '.case .h2')).toEqual(['咨询 信2026-0012', '求助 信2026-0013']);
  expect(texts(page, '.case .body')).toEqual(['取暖费什么时候报？', '家里暖气不热。']);
  expect(texts(page, '.status-text')).toEqual(['已答复，请您评价', '正在办理']);
  expect(texts(page, '.reply')).toEqual(['答复：12月10日前交到所里就行。']);
  expect(texts(page, '.next')).toEqual(['请您点一下满意不满意。', '所里会在12月3日前答复您。']);
  expect(texts(page, '.written')[0]).toBe('11月20日（周五）写的');
  // Only the answered case asks for a rating.
  expect(texts(page, '.rate')).toEqual(['满意', '基本满意', '不满意']);
  expect(page.querySelector('.none')).toBeFalsy();
  expect(page.querySelector('.call')).toBeTruthy();
});

test('nothing written yet says so', async () => {
  const wx = installWx(casesServer([]));
  loggedIn(wx);
  const page = await loadPage('cases');
  expect(text(page, '.none')).toContain('还没有写过');
  expect(page.querySelector('.case')).toBeFalsy();
});

test('writing a case: the kind, then the words; the done line gives the number', async () => {
  const server = casesServer([]);
  const made = theCase({
    id: 20, number: '信2026-0020', kind: '投诉', body: '食堂的饭太硬了。', status: 'open',
    status_text: '正在办理', reply: null, can_rate: false, next_step: '所里会在12月9日前答复您。',
  });
  server.on('POST', '/api/v1/cases', () => {
    server.set([made]);
    return FakeServer.reply(201, made);
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('cases');
  await tap(page, '.new');
  expect(text(page, '.h1')).toBe('写给所里');
  expect(texts(page, '.kind')).toEqual(['咨询：想问一件事', '求助：遇到难处，请所里帮忙', '投诉：有不满意的地方', '建议：有好主意告诉所里']);
  await tapNth(page, '.kind', 2);
  expect(text(page, '.kind.on')).toBe('✓ 投诉：有不满意的地方');
  await input(page, '.body-text', '  食堂的饭太硬了。 ');
  await tap(page, '.send');
  const sent = server.calls('POST', '/api/v1/cases');
  expect(sent).toHaveLength(1);
  expect(sent[0].data).toEqual({ retiree_id: 7, kind: '投诉', body: '食堂的饭太硬了。' });
  expect(text(page, '.done')).toBe('已经交给所里了，编号信2026-0020。所里会在12月9日前答复您。');
  expect(text(page, '.h1')).toBe('我反映的事');
  expect(texts(page, '.case .h2')).toEqual(['投诉 信2026-0020']);
});

test('the phone checks the kind and the words first: nothing is sent', async () => {
  const server = casesServer([]);
  server.on('POST', '/api/v1/cases', () => FakeServer.reply(201, theCase()));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('cases');
  await tap(page, '.new');
  await input(page, '.body-text', '想问问体检的事。');
  await tap(page, '.send');
  expect(text(page, '.error')).toBe('请先点一下是哪一类事。');
  await tapNth(page, '.kind', 0);
  expect(page.querySelector('.error')).toBeFalsy();
  await input(page, '.body-text', ' 好 ');
  await tap(page, '.send');
  expect(text(page, '.error')).toBe('请写上想说的话。');
  expect(server.calls('POST', '/api/v1/cases')).toHaveLength(0);
  await tap(page, '.back');
  expect(page.querySelector('.new')).toBeTruthy();
  expect(page.querySelector('.error')).toBeFalsy();
});

test('满意 is sent at once, for the case and the person, and thanks', async () => {
  const server = casesServer([theCase()]);
  server.on('POST', '/api/v1/cases/{case_id}/rating', (req) => {
    const rated = theCase({ status: 'closed', status_text: '已办结', rating: req.data.rating, can_rate: false, next_step: '这件事办完了。' });
    server.set([rated]);
    return rated;
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('cases');
  await tapNth(page, '.rate', 0);
  const sent = server.calls('POST', '/api/v1/cases/12/rating');
  expect(sent).toHaveLength(1);
  expect(sent[0].query).toEqual({ retiree_id: '7' });
  expect(sent[0].data).toEqual({ rating: '满意', comment: null });
  expect(text(page, '.done')).toBe('谢谢您的评价。');
  expect(text(page, '.status-text')).toBe('已办结');
  expect(page.querySelector('.rate')).toBeFalsy();
});

test('不满意 first asks what was wrong, sends it, and says when the new answer comes', async () => {
  const server = casesServer([theCase()]);
  server.on('POST', '/api/v1/cases/{case_id}/rating', () => {
    const again = theCase({
      status: 'open', status_text: '正在办理', rating: '不满意', can_rate: false, due_on: '2026-12-03',
      next_step: '所里会再办一次，12月3日前答复您。',
    });
    server.set([again]);
    return again;
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('cases');
  await tapNth(page, '.rate', 2);
  expect(server.calls('POST', '/api/v1/cases/12/rating')).toHaveLength(0);
  expect(text(page, '.case .label')).toBe('哪里不满意？（可以不写）');
  expect(page.querySelector('.rate')).toBeFalsy();
  await input(page, '.comment', ' 还是没说清楚要带什么。 ');
  await tap(page, '.send-unhappy');
  const sent = server.calls('POST', '/api/v1/cases/12/rating');
  expect(sent).toHaveLength(1);
  expect(sent[0].query).toEqual({ retiree_id: '7' });
  expect(sent[0].data).toEqual({ rating: '不满意', comment: '还是没说清楚要带什么。' });
  expect(text(page, '.done')).toBe('我们会再办一次，12月3日前答复您。');
  expect(text(page, '.status-text')).toBe('正在办理');
  expect(page.querySelector('.comment')).toBeFalsy();
});

test('a rating before the reply shows the server\'s sentence', async () => {
  const server = casesServer([theCase()]);
  server.on('POST', '/api/v1/cases/{case_id}/rating', () =>
    FakeServer.error(409, '答复以后才能评价。工作人员答复了会告诉您。', 'not_replied'),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('cases');
  await tapNth(page, '.rate', 1);
  expect(server.calls('POST', '/api/v1/cases/12/rating')[0].data).toEqual({ rating: '基本满意', comment: null });
  expect(text(page, '.error')).toBe('答复以后才能评价。工作人员答复了会告诉您。');
  expect(page.querySelector('.done')).toBeFalsy();
});

test('the 意见箱 sends only the words, no name or retiree, and shows the server\'s answer', async () => {
  const server = casesServer([]);
  server.on('POST', '/api/v1/suggestion-box', () =>
    FakeServer.reply(201, { message: '收到了，谢谢您。意见箱不记名字，所里会认真看。' }),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('cases');
  await tap(page, '.box');
  expect(text(page, '.box-intro')).toBe('意见箱不记名字，谁写的所里不知道。');
  await tap(page, '.put');
  expect(text(page, '.error')).toBe('请写上想说的话。');
  expect(server.calls('POST', '/api/v1/suggestion-box')).toHaveLength(0);
  await input(page, '.box-text', '活动室的灯太暗了。');
  await tap(page, '.put');
  const sent = server.calls('POST', '/api/v1/suggestion-box');
  expect(sent).toHaveLength(1);
  expect(sent[0].data).toEqual({ body: '活动室的灯太暗了。' });
  expect(sent[0].query).toEqual({});
  expect(text(page, '.done')).toBe('收到了，谢谢您。意见箱不记名字，所里会认真看。');
  expect(page.querySelector('.new')).toBeTruthy();
});

test('too many in a day: the 意见箱 says to come back tomorrow, not in a minute', async () => {
  const server = casesServer([]);
  server.on('POST', '/api/v1/suggestion-box', () =>
    FakeServer.error(429, '操作太频繁，请稍后再试。', 'too_many_requests'),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('cases');
  await tap(page, '.box');
  await input(page, '.box-text', '活动室的灯太暗了。');
  await tap(page, '.put');
  expect(text(page, '.error')).toContain('请明天再放');
  expect(page.querySelector('.put')).toBeTruthy(); // the words stay to send later
});

test('family write for the person they look after, under that person\'s name', async () => {
  const server = casesServer([theCase()]);
  server.me = ME_FAMILY;
  server.on('POST', '/api/v1/cases', () => FakeServer.reply(201, theCase({ id: 21, number: '信2026-0021' })));
  const wx = installWx(server);
  loggedIn(wx, ME_FAMILY);
  const page = await loadPage('cases');
  expect(text(page, '.h1')).toBe('张建国的事');
  expect(server.calls('GET', '/api/v1/cases')[0].query).toEqual({ retiree_id: '7' });
  await tap(page, '.new');
  expect(text(page, '.for-whom')).toBe('这是替张建国写的，所里会知道是您写的。');
  await tapNth(page, '.kind', 3);
  await input(page, '.body-text', '希望多办几次书法班。');
  await tap(page, '.send');
  expect(server.calls('POST', '/api/v1/cases')[0].data).toEqual({ retiree_id: 7, kind: '建议', body: '希望多办几次书法班。' });
});

test('speaking instead of typing: what was heard is added to the words, to read before sending', async () => {
  const si = installWechatSI();
  const server = casesServer([]);
  server.on('POST', '/api/v1/cases', () => FakeServer.reply(201, theCase({ id: 22, number: '信2026-0022' })));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('cases');
  await tap(page, '.new');
  expect(text(page, '.talk')).toBe('不想打字？按住 说话');
  await input(page, '.body-text', '楼道的灯坏了。');
  si.manager.result = '晚上出门看不见。';
  page.querySelector('.talk').dispatchEvent('touchstart');
  await flush();
  expect(text(page, '.talk')).toBe('说完了就松开手');
  page.querySelector('.talk').dispatchEvent('touchend');
  await flush();
  expect(page.instance.data.body).toBe('楼道的灯坏了。晚上出门看不见。');
  expect(server.calls('POST', '/api/v1/cases')).toHaveLength(0); // nothing sent until 交给所里
  si.manager.result = '  ';
  page.querySelector('.talk').dispatchEvent('touchstart');
  await flush();
  page.querySelector('.talk').dispatchEvent('touchend');
  await flush();
  expect(text(page, '.error')).toBe('没有听清。请按住按钮再说一次，说完再松手。');
  expect(page.instance.data.body).toBe('楼道的灯坏了。晚上出门看不见。');
});
