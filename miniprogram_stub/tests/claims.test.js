const { FakeServer, installWx, loadPage, tap, text, texts, loggedIn, ME_FAMILY } = require('./helpers');

function claim(overrides = {}) {
  return {
    id: 3,
    retiree_id: 7,
    year: 2026,
    status: 'open',
    status_text: '正在审核票据',
    receipts: [
      { id: 1, amount: 6000000, amount_yuan: '60000.00', category: '住院', status: 'accepted', status_text: '已收下', reason: null },
      { id: 2, amount: 12000, amount_yuan: '120.00', category: '门诊', status: 'rejected', status_text: '没收下', reason: '票据看不清' },
    ],
    accepted_total_yuan: '60000.00',
    subsidy: 700000,
    subsidy_yuan: '7000.00',
    pay_on: null,
    next_step: '工作人员正在看您的票据。',
    ...overrides,
  };
}

function claimsServer(body) {
  const server = new FakeServer();
  server.on('GET', '/api/v1/medical/claims', () => body);
  return server;
}

const LIST = { data: [claim()], count: 1, covered: true, categories: ['住院', '门诊', '药店购药', '其他'] };

function uploading(reply) {
  return {
    chooseMedia: jest.fn(({ success }) => success({ tempFiles: [{ tempFilePath: 'wxfile://tmp/r.jpg' }] })),
    uploadFile: jest.fn((opts) => Promise.resolve().then(() => opts.success(reply))),
  };
}

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-25T02:00:00Z'));
});

afterEach(() => {
  jest.restoreAllMocks();
});

test('each year shows its receipts, what was not taken and why, and the subsidy', async () => {
  const wx = installWx(claimsServer(LIST));
  loggedIn(wx);
  const page = await loadPage('claims');
  expect(text(page, '.claim .h2')).toBe('2026年');
  expect(texts(page, '.receipt')).toEqual(['住院 60000.00元：已收下', '门诊 120.00元：没收下（票据看不清）']);
  expect(text(page, '.subsidy')).toBe('补助：7000.00元');
  expect(text(page, '.next')).toBe('工作人员正在看您的票据。');
});

test('a receipt is sent in three steps: the year, the kind, the amount in 元, then the photo', async () => {
  const after = { ...LIST, data: [claim({ receipts: [...claim().receipts, { id: 9, amount: 128050, amount_yuan: '1280.50', category: '药店购药', status: 'pending', status_text: '等待审核', reason: null }] })] };
  const wx = installWx(claimsServer(LIST), uploading({ statusCode: 201, data: JSON.stringify(after) }));
  loggedIn(wx);
  const page = await loadPage('claims');
  await tap(page, '.new');
  await tap(page, '.send');
  expect(text(page, '.error')).toBe('请先点一下是哪一种票据。');
  page.querySelectorAll('.kind')[2].dispatchEvent('tap');
  await tap(page, '.send');
  expect(text(page, '.error')).toBe('请填票据上自己付的钱，比如 1280.50。');
  expect(wx.chooseMedia).not.toHaveBeenCalled();
  const box = page.querySelector('.amount');
  box.dispatchEvent('input', { detail: { value: '1280.5' } });
  await tap(page, '.send');
  const sent = wx.uploadFile.mock.calls[0][0];
  expect(sent.url).toBe(
    'http://127.0.0.1:8000/api/v1/medical/receipts?retiree_id=7&year=2026&amount=128050&category=%E8%8D%AF%E5%BA%97%E8%B4%AD%E8%8D%AF',
  );
  expect(sent.name).toBe('file');
  expect(text(page, '.done')).toBe('票据交好了。工作人员看过后会告诉您。');
  expect(texts(page, '.receipt')[2]).toBe('药店购药 1280.50元：等待审核');
});

test('family without the 代办 right only look; a category the rule does not cover is said so', async () => {
  const wx = installWx(claimsServer(LIST));
  loggedIn(wx, ME_FAMILY);
  wx.setStorageSync('junxiu.acting', 8); // 李秀兰: this family member may not act for her
  const page = await loadPage('claims');
  expect(page.querySelector('.new')).toBeFalsy();
  expect(texts(page, '.receipt')).toHaveLength(2);

  const other = installWx(claimsServer({ ...LIST, data: [], covered: false }));
  loggedIn(other);
  const refused = await loadPage('claims');
  expect(text(refused, '.not-covered')).toContain('这项补助只给退休军休干部');
  expect(refused.querySelector('.new')).toBeFalsy();
  expect(refused.querySelector('.none')).toBeFalsy();
});
