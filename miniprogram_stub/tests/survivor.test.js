const { FakeServer, installWx, loadPage, text, texts, loggedIn } = require('./helpers');

function survivorPage(overrides = {}) {
  return {
    retiree_id: 7,
    retiree_name: '王建国',
    has_case: true,
    died_on: '2026-03-03',
    what_we_do: ['所里的负责同志会上门慰问吊唁。', '按规定办理丧葬费和一次性抚恤金。'],
    tasks: [
      { name: '慰问吊唁', status: '已办好', detail: null },
      { name: '告别仪式', status: '正在办', detail: '日期：2026年3月6日' },
    ],
    benefits: [
      { name: '丧葬费', status: '已发放', detail: '金额：12000.50元' },
      { name: '一次性抚恤金', status: '正在审核', detail: null },
    ],
    survivors: [{ name: '刘桂芳', relation: '配偶', phone: '139****5678', subsidy_text: '生活补助每月800.00元', status: '在册' }],
    contact_name: '张敏',
    contact_phone: '0431-88886666',
    contact_text: '负责的工作人员是张敏，电话 0431-88886666。',
    next_step: '所里正在办理。有什么需要，请打下面的电话。',
    ...overrides,
  };
}

test('the family see what the centre does, where each matter stands, and who to call', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/bereavement', () => survivorPage());
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('survivor');
  expect(text(page, '.sorrow')).toContain('王建国同志于3月3日');
  expect(text(page, '.who-to-call')).toContain('张敏，电话 0431-88886666');
  expect(texts(page, '.task')[1]).toContain('告别仪式：正在办');
  expect(texts(page, '.benefit')[0]).toContain('丧葬费：已发放');
  expect(texts(page, '.benefit')[0]).toContain('12000.50元');
  expect(texts(page, '.survivor')[0]).toContain('139****5678');
  expect(texts(page, '.survivor')[0]).toContain('生活补助每月800.00元');
});

test('a notice opens the page for the retiree it names', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/bereavement', () => survivorPage({ retiree_id: 9 }));
  const wx = installWx(server);
  loggedIn(wx);
  await loadPage('survivor', { retiree_id: '9' });
  const asked = server.calls('GET', '/api/v1/bereavement');
  expect(asked[0].query).toEqual({ retiree_id: '9' });
});

test('nothing to do reads as one plain sentence', async () => {
  const server = new FakeServer();
  server.on('GET', '/api/v1/bereavement', () => survivorPage({
    has_case: false, died_on: null, what_we_do: [], tasks: [], benefits: [], survivors: [],
    contact_name: null, contact_phone: null, contact_text: '', next_step: '这里没有需要办理的事情。',
  }));
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('survivor');
  expect(text(page, '.none')).toContain('这里没有需要办理的事情');
  expect(page.querySelector('.benefits')).toBeFalsy();
});
