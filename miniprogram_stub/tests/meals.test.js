const { FakeServer, installWx, loadPage, tap, tapNth, input, text, texts, loggedIn } = require('./helpers');

function menus() {
  return {
    data: [
      {
        date: '2026-11-26', meal: '午餐', cutoff_at: '2026-11-26T01:30:00Z', can_book: true, why_not: null,
        options: [
          { id: 11, name: '红烧鱼套餐', dishes: ['红烧鱼', '青菜', '米饭'], tags: ['低盐'], price: '15.00', subsidised_price: '8.00', portions_left: 3, my_order_id: null },
          { id: 12, name: '素菜套餐', dishes: ['豆腐', '白菜'], tags: [], price: '10.00', subsidised_price: '10.00', portions_left: 40, my_order_id: 91 },
        ],
      },
      {
        date: '2026-11-27', meal: '晚餐', cutoff_at: '2026-11-27T07:00:00Z', can_book: false, why_not: '这天不供应晚餐。',
        options: [],
      },
    ],
    count: 2,
  };
}

function order(overrides = {}) {
  return {
    id: 91, option_id: 12, date: '2026-11-26', meal: '午餐', name: '素菜套餐', dishes: ['豆腐'],
    quantity: 1, mode: '堂食', address: null, diet_notes: null, status: 'confirmed', status_code: 'confirmed', status_label: '已订上',
    waitlist_position: null, amount_due: '10.00', paid: false, cutoff_at: '2026-11-26T01:30:00Z',
    can_cancel: true, ...overrides,
  };
}

function mealServer() {
  const server = new FakeServer();
  server.orders = [order()];
  server.on('GET', '/api/v1/meals/menus', () => menus());
  server.on('GET', '/api/v1/meals/orders', () => ({ data: server.orders, count: server.orders.length }));
  return server;
}

test('the menu by day: options with dishes and subsidised price; another day says why not', async () => {
  const server = mealServer();
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('meals');
  const q = server.calls('GET', '/api/v1/meals/menus')[0].query;
  expect(q.retiree_id).toBe('7');
  expect(q).toEqual({ retiree_id: '7', days: '7' });
  const options = texts(page, '.option');
  expect(options[0]).toContain('红烧鱼、青菜、米饭');
  expect(options[0]).toContain('8.00元（补贴后，原价15.00元）');
  expect(options[0]).toContain('只剩 3 份');
  expect(options[1]).toContain('✓ 已订这份');
  expect(texts(page, '.my-order')[0]).toContain('已订上');
  await tapNth(page, '.day', 1);
  expect(text(page, '.meal')).toContain('这天不供应晚餐。');
});

test('booking delivery needs an address, then sends one order with a key', async () => {
  const server = mealServer();
  server.on('POST', '/api/v1/meals/orders', (req) => {
    const placed = order({ id: 92, option_id: 11, name: '红烧鱼套餐', mode: req.data.mode, quantity: req.data.quantity });
    server.orders = server.orders.concat([placed]);
    return placed;
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('meals');
  await tap(page, '.start-order');
  expect(text(page, '.order-form')).toContain('红烧鱼套餐');
  await tapNth(page, '.qty', 1);
  await tapNth(page, '.mode', 2);
  await tap(page, '.place-order');
  expect(text(page, '.error')).toContain('请填好地址');
  expect(server.calls('POST', '/api/v1/meals/orders')).toHaveLength(0);
  await input(page, '.address', '幸福路8号');
  await input(page, '.diet', '少油');
  await tap(page, '.place-order');
  const sent = server.calls('POST', '/api/v1/meals/orders');
  expect(sent).toHaveLength(1);
  expect(sent[0].data).toMatchObject({
    retiree_id: 7, option_id: 11, quantity: 2, mode: '送餐', address: '幸福路8号', diet_notes: '少油',
  });
  expect(sent[0].data.idempotency_key.length).toBeGreaterThanOrEqual(8);
  expect(text(page, '.done')).toContain('订好了：红烧鱼套餐');
  expect(texts(page, '.my-order')).toHaveLength(2);
});

test('cancel before the cutoff; after it the page says to phone', async () => {
  const server = mealServer();
  server.orders = [order(), order({ id: 93, can_cancel: false, date: '2026-11-25' })];
  server.on('POST', '/api/v1/meals/orders/{id}/cancel', () => {
    server.orders = [order({ status: 'cancelled', status_code: 'cancelled', status_label: '已取消', can_cancel: false })];
    return server.orders[0];
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('meals');
  // Soonest first: the 25th (past its cutoff) above the 26th.
  expect(texts(page, '.my-order')[0]).toContain('已过取消时间');
  expect(texts(page, '.my-order')[1]).toContain('11月26日');
  await tap(page, '.cancel-order');
  expect(wx.showModal).toHaveBeenCalled();
  expect(server.calls('POST', '/api/v1/meals/orders/91/cancel')).toHaveLength(1);
  expect(text(page, '.done')).toBe('已取消这份饭。');
  expect(texts(page, '.my-order')[0]).toContain('已取消');
});

test('a standing order: weekdays, meal and mode; stop asks first', async () => {
  const server = new FakeServer();
  server.list = [];
  server.on('GET', '/api/v1/meals/standing-orders', () => ({ data: server.list, count: server.list.length }));
  server.on('POST', '/api/v1/meals/standing-orders', (req) => {
    const row = { id: 5, ...req.data, tag: req.data.tag, active: true, created_at: '2026-11-25T02:00:00Z' };
    server.list = [row];
    return row;
  });
  server.on('POST', '/api/v1/meals/standing-orders/{id}/stop', () => {
    server.list = [{ ...server.list[0], active: false }];
    return server.list[0];
  });
  const wx = installWx(server);
  loggedIn(wx);
  const page = await loadPage('standing');
  await tap(page, '.create');
  expect(text(page, '.error')).toContain('请选星期几');
  await tapNth(page, '.weekday', 0);
  await tapNth(page, '.weekday', 2);
  await tapNth(page, '.tag', 0);
  await tap(page, '.create');
  expect(server.calls('POST', '/api/v1/meals/standing-orders')[0].data).toEqual({
    retiree_id: 7, meal: '午餐', weekdays: [1, 3], mode: '堂食', quantity: 1, address: null,
    diet_notes: null, tag: '低盐',
  });
  expect(text(page, '.standing-order')).toContain('每周一、周三 午餐 × 1');
  await tap(page, '.stop');
  expect(server.calls('POST', '/api/v1/meals/standing-orders/5/stop')).toHaveLength(1);
  expect(text(page, '.standing-order')).toContain('已停止');
});
