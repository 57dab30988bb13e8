const { FakeServer, installWx, loadPage, tap, tapNth, input, text, texts, loggedIn } = require('./helpers');

function survey(overrides = {}) {
  return {
    id: 5, title: '三月服务满意度调查', intro: '请说说这个月的感受。', closes_at: '2026-03-20T10:00:00Z',
    open: true, answered: false, retiree_id: 7, retiree_name: '张建国',
    questions: [
      { kind: '满意度', text: '您满意吗？', options: ['满意', '基本满意', '不满意'] },
      { kind: '打分', text: '给助餐打分', options: [] },
      { kind: '文字', text: '还有什么意见？', options: [] },
    ],
    answers: null,
    ...overrides,
  };
}

function rating(overrides = {}) {
  return {
    source: 'ride', source_label: '用车', source_id: 9, retiree_id: 7, label: '3月3日的用车',
    score: null, rated_at: null, ...overrides,
  };
}

describe('问卷', () => {
  test('big buttons, a box to write in, and 交问卷 sends one answer per question', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/satisfaction/surveys/{id}', () => survey());
    server.on('POST', '/api/v1/satisfaction/surveys/{id}/answers', (req) =>
      survey({ answered: true, answers: req.data.answers }),
    );
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('survey', { id: '5' });
    expect(text(page, '.h1')).toBe('三月服务满意度调查');
    expect(texts(page, '.q-0 .choice')).toEqual(['满意', '基本满意', '不满意']);
    expect(texts(page, '.q-1 .choice')).toEqual(['1分', '2分', '3分', '4分', '5分']);
    await tapNth(page, '.q-0 .choice', 1);
    await tapNth(page, '.q-1 .choice', 4);
    await input(page, '.answer-text', '饭菜淡一点');
    expect(text(page, '.q-0 .primary')).toBe('✓ 基本满意');
    await tap(page, '.submit');
    const sent = server.calls('POST', '/api/v1/satisfaction/surveys/5/answers')[0];
    expect(sent.data).toEqual({ retiree_id: 7, answers: [1, 5, '饭菜淡一点'] });
    expect(text(page, '.done')).toContain('交好了');
    expect(text(page, '.answered')).toContain('已经答过了');
    expect(page.querySelector('.submit')).toBeFalsy();
  });

  test('nothing chosen is said on the page, not sent', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/satisfaction/surveys/{id}', () => survey());
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('survey', { id: '5' });
    await tap(page, '.submit');
    expect(text(page, '.error')).toContain('还一道题都没有答');
    expect(server.calls('POST', '/api/v1/satisfaction/surveys/5/answers')).toEqual([]);
  });

  test('a closed survey says so', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/satisfaction/surveys/{id}', () => survey({ open: false }));
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('survey', { id: '5' });
    expect(text(page, '.closed')).toContain('已经结束');
    expect(page.querySelector('.submit')).toBeFalsy();
  });

  test('without an id: the open surveys and the meals and rides to rate', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/satisfaction/surveys', () => ({ data: [survey()] }));
    server.on('GET', '/api/v1/satisfaction/ratings/pending', () => ({ data: [rating()] }));
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('survey');
    expect(text(page, '.survey-item .strong')).toBe('三月服务满意度调查');
    await tap(page, '.open-rating');
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/rate/rate?source=ride&id=9&retiree_id=7' });
  });
});

describe('评价', () => {
  test('one tap on a big button records it and thanks', async () => {
    const server = new FakeServer();
    server.on('GET', '/api/v1/satisfaction/ratings', () => rating());
    server.on('POST', '/api/v1/satisfaction/ratings', (req) =>
      rating({ score: req.data.score, rated_at: '2026-03-03T03:00:00Z' }),
    );
    const wx = installWx(server);
    loggedIn(wx);
    const page = await loadPage('rate', { source: 'ride', id: '9', retiree_id: '7' });
    expect(server.calls('GET', '/api/v1/satisfaction/ratings')[0].query).toEqual({
      source: 'ride', source_id: '9', retiree_id: '7',
    });
    expect(text(page, '.what')).toBe('3月3日的用车');
    expect(texts(page, '.score')).toEqual(['满意', '基本满意', '不满意']);
    await tapNth(page, '.score', 0);
    expect(server.calls('POST', '/api/v1/satisfaction/ratings')[0].data).toEqual({
      source: 'ride', source_id: 9, retiree_id: 7, score: '满意',
    });
    expect(text(page, '.done')).toBe('谢谢！已记下：满意。');
    expect(text(page, '.given')).toContain('您的评价：满意');
  });
});
