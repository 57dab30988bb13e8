const { FakeServer, installWx, loadPage, tap, input, text, texts, loggedIn, ME_FAMILY } = require('./helpers');

function state(overrides = {}) {
  return {
    retiree_id: 7,
    retiree_name: '张建国',
    campaign: { id: 1, year: 2027, unit_id: 1, opens_on: '2027-01-01', closes_on: '2027-03-31', is_open: true },
    status: '未提交',
    status_code: 'none',
    banner: '2027年的年度登记还没做',
    answers: {},
    return_reasons: {},
    talk_note: null,
    submitted_at: null,
    submitted_by: null,
    has_photo: false,
    can_edit: true,
    can_submit: true,
    next_step: '请在3月31日前填好提交。',
    ...overrides,
  };
}

function checkinServer(initial) {
  const server = new FakeServer();
  server.current = initial || state();
  server.on('GET', '/api/v1/checkin', () => server.current);
  server.on('PUT', '/api/v1/checkin/draft', (req) => {
    server.current = state({ status: '未提交（有草稿）', status_code: 'draft', answers: req.data.answers });
    return server.current;
  });
  server.on('POST', '/api/v1/checkin/submit', (req) => {
    server.current = state({
      status: '已提交待审核',
      status_code: 'submitted',
      answers: req.data.answers,
      submitted_at: '2027-01-05T02:00:00Z',
      submitted_by: '本人',
      can_edit: false,
      can_submit: false,
      banner: null,
      next_step: '工作人员审核后会发消息告诉您。',
    });
    return server.current;
  });
  return server;
}

test('the form goes step by step, saving a draft at each step, then submits once', async () => {
  const server = checkinServer();
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('checkin');
  expect(text(page, '.banner')).toBe('2027年的年度登记还没做');
  await tap(page, '.start');
  await tap(page, '.same-no');
  await input(page, '.new-address', '幸福路8号3单元201');
  await tap(page, '.next');
  expect(server.calls('PUT', '/api/v1/checkin/draft')[0].data).toMatchObject({
    retiree_id: 7,
    answers: { same_address: false, new_address: '幸福路8号3单元201' },
  });
  expect(text(page, '.saved')).toContain('已保存');
  await input(page, '.phone', '13800001111');
  await tap(page, '.next'); // party
  await tap(page, '.party-yes');
  await tap(page, '.next'); // trips
  await input(page, '.trip-destination', '泰国');
  page.querySelector('.trip-start').dispatchEvent('change', { detail: { value: '2026-05-01' } });
  page.querySelector('.trip-end').dispatchEvent('change', { detail: { value: '2026-05-08' } });
  await tap(page, '.trip-approved');
  await tap(page, '.add-trip');
  expect(texts(page, '.trip')[0]).toContain('泰国：2026-05-01 至 2026-05-08（已审批或报备）');
  await tap(page, '.next'); // changes
  await tap(page, '.next'); // care
  await tap(page, '.care');
  await tap(page, '.next'); // confirm
  expect(server.calls('PUT', '/api/v1/checkin/draft')).toHaveLength(6);

  await tap(page, '.submit');
  expect(text(page, '.error')).toContain('我承诺以上内容属实');
  expect(server.calls('POST', '/api/v1/checkin/submit')).toHaveLength(0);

  await tap(page, '.declaration');
  await tap(page, '.submit');
  const sent = server.calls('POST', '/api/v1/checkin/submit');
  expect(sent).toHaveLength(1);
  expect(sent[0].data).toMatchObject({
    retiree_id: 7,
    declaration: true,
    answers: {
      same_address: false,
      phone: '13800001111',
      party_life: true,
      trips_abroad: [{ destination: '泰国', start_date: '2026-05-01', end_date: '2026-05-08', approved: true }],
      care_needs: ['失能'],
      awards: null,
    },
  });
  expect(sent[0].data.request_id).toMatch(/^mp-/);
  expect(text(page, '.status-card')).toContain('已提交待审核');
  expect(page.querySelector('.start')).toBeFalsy();
});

test('a submission lost on the network is retried with the same request_id', async () => {
  const server = checkinServer(state({ answers: { same_address: true, phone: '13800001111', party_life: false } }));
  let first = true;
  const real = server.handle.bind(server);
  server.handle = (opts) => {
    if (opts.method === 'POST' && first) {
      first = false;
      server.requests.push({ method: 'POST', path: '/api/v1/checkin/submit', data: opts.data });
      return FakeServer.NETWORK;
    }
    return real(opts);
  };
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('checkin');
  await tap(page, '.start');
  for (let i = 0; i < 6; i += 1) await tap(page, '.next');
  await tap(page, '.declaration');
  await tap(page, '.submit');
  const sent = server.calls('POST', '/api/v1/checkin/submit');
  expect(sent).toHaveLength(2);
  expect(sent[0].data.request_id).toBe(sent[1].data.request_id);
  expect(text(page, '.status-card')).toContain('已提交待审核');
});

test("a returned submission shows staff's reasons by field and can be corrected", async () => {
  const server = checkinServer(
    state({
      status: '退回需补正',
      status_code: 'returned',
      answers: { same_address: false, new_address: '幸福路', phone: '13800001111', party_life: true },
      return_reasons: { new_address: '地址没写清楚，请写到门牌号' },
      next_step: '请按工作人员说的改好，再提交。',
    }),
  );
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('checkin');
  expect(texts(page, '.reason')).toEqual(['· 新地址：地址没写清楚，请写到门牌号']);
  expect(text(page, '.start')).toBe('去改正');
  await tap(page, '.start');
  expect(page.querySelector('.new-address')).toBeTruthy();
});

test('a family member without the check-in permission sees the status only', async () => {
  const server = checkinServer();
  const wx = installWx(server);
  loggedIn(wx, ME_FAMILY);
  wx.setStorageSync('junxiu.acting', 8);
  const page = await loadPage('checkin');
  expect(server.calls('GET', '/api/v1/checkin')[0].query).toEqual({ retiree_id: '8' });
  expect(page.querySelector('.start')).toBeFalsy();
  expect(text(page, '.status-card')).toContain('您没有替这位老人办理年度登记的权限');
});

test('an optional photo: chosen from the camera or album and uploaded as the file field', async () => {
  const server = checkinServer(state({ answers: { same_address: true, phone: '13800001111', party_life: false } }));
  const wx = installWx(server, {
    chooseMedia: jest.fn(({ success }) => success({ tempFiles: [{ tempFilePath: 'wxfile://tmp/1.jpg' }] })),
    uploadFile: jest.fn((opts) =>
      Promise.resolve().then(() =>
        opts.success({ statusCode: 200, data: JSON.stringify(state({ has_photo: true })) }),
      ),
    ),
  });
  loggedIn(wx);
  const page = await loadPage('checkin');
  await tap(page, '.start');
  for (let i = 0; i < 6; i += 1) await tap(page, '.next');
  expect(text(page, '.photo-state')).toBe('照片：还没有（可以不传）');
  await tap(page, '.photo');
  const sent = wx.uploadFile.mock.calls[0][0];
  expect(sent.url).toBe('http://127.0.0.1:8000/api/v1/checkin/photo?retiree_id=7');
  expect(sent.name).toBe('file');
  expect(sent.filePath).toBe('wxfile://tmp/1.jpg');
  expect(sent.header.Authorization).toBe('Bearer tok-1');
  expect(text(page, '.photo-state')).toBe('照片：✓ 已上传');

  wx.uploadFile.mockImplementationOnce((opts) =>
    opts.success({ statusCode: 415, data: JSON.stringify({ code: 'unsupported_media', message: '照片要是JPG或PNG格式。', detail: null }) }),
  );
  await tap(page, '.photo');
  // The server's format names (JPG/PNG) become what to do, in utils/errors.js.
  expect(text(page, '.error')).toBe('这张照片打不开。请用手机相机直接拍一张再传。');
});
