const { FakeServer, installWx, loadPage, tap, text, texts, loggedIn, ME_FAMILY } = require('./helpers');

const RECORD = {
  retiree_id: 7,
  name: '张建国',
  entries: [
    { id: 5, kind: '住院', place: '北京医院', summary: '肺炎', in_hospital: false, has_report: false, when: '2026年3月2日住院，3月9日出院' },
    { id: 4, kind: '体检', place: '解放军总医院', summary: '血压偏高，三个月后复查。', in_hospital: false, has_report: true, when: '2026年3月1日' },
  ],
  reads: [
    { at: '2026-11-25T02:00:00Z', reader: '本人', what: '健康档案' },
    { at: '2026-11-24T06:30:00Z', reader: '医务人员张敏', what: '健康档案' },
  ],
};

function recordServer() {
  const server = new FakeServer();
  server.on('GET', '/api/v1/health-record', () => RECORD);
  return server;
}

test('the record shows each check-up and stay, and who read it lately', async () => {
  const wx = installWx(recordServer());
  loggedIn(wx);
  const page = await loadPage('health');
  expect(texts(page, '.entry .h2')).toEqual(['住院', '体检']);
  expect(texts(page, '.when')).toEqual(['2026年3月2日住院，3月9日出院', '2026年3月1日']);
  expect(text(page, '.summary')).toBe('肺炎');
  expect(texts(page, '.read')).toEqual(['11月25日（周三）上午 10:00 本人看了健康档案', '11月24日（周二）下午 2:30 医务人员张敏看了健康档案']);
});

test('the report opens in the reader, and a photo full screen when it is not a PDF', async () => {
  const server = recordServer();
  const wx = installWx(server, {
    downloadFile: jest.fn((opts) => Promise.resolve().then(() => opts.success({ statusCode: 200, tempFilePath: 'wxfile://tmp/r.jpg' }))),
    openDocument: jest.fn((opts) => opts.fail({ errMsg: 'not a pdf' })),
    previewImage: jest.fn(),
  });
  loggedIn(wx);
  const page = await loadPage('health');
  await tap(page, '.report');
  expect(wx.downloadFile.mock.calls[0][0].url).toContain('/api/v1/health-record/entries/4/report?retiree_id=7');
  expect(wx.openDocument).toHaveBeenCalled();
  expect(wx.previewImage.mock.calls[0][0].urls).toEqual(['wxfile://tmp/r.jpg']);
  // The read just logged shows: the record is asked for again.
  expect(server.calls('GET', '/api/v1/health-record')).toHaveLength(2);
});

test('family without the right are told how to get it and nothing is asked of the server', async () => {
  const server = recordServer();
  const wx = installWx(server);
  loggedIn(wx, ME_FAMILY);
  const page = await loadPage('health');
  expect(text(page, '.not-allowed')).toContain('老人还没有让您看健康档案');
  expect(server.calls('GET', '/api/v1/health-record')).toHaveLength(0);
});

test('family with the right read the record under the name of the person they look after', async () => {
  const server = recordServer();
  const wx = installWx(server);
  const me = { ...ME_FAMILY, following: ME_FAMILY.following.map((f) => ({ ...f, can_see_health: true })) };
  loggedIn(wx, me);
  const page = await loadPage('health');
  expect(text(page, '.h1')).toBe('张建国的健康档案');
  expect(texts(page, '.entry .h2')).toEqual(['住院', '体检']);
});
