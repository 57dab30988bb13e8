const path = require('path');
const simulate = require('miniprogram-simulate');
const { ROOT, flush } = require('./helpers');

function render(name, props) {
  let id;
  jest.isolateModules(() => {
    id = simulate.load(path.join(ROOT, `components/${name}/${name}`), { rootPath: ROOT });
  });
  const comp = simulate.render(id, props);
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

test('retiree-switch shows nothing for one person and names who is being looked at', async () => {
  const one = render('retiree-switch', { choices: [{ retiree_id: 7, name: '张建国', relation: '本人' }], actingId: 7 });
  expect(one.querySelectorAll('.chip')).toHaveLength(0);
  const two = render('retiree-switch', {
    choices: [
      { retiree_id: 7, name: '张建国', relation: '子女' },
      { retiree_id: 8, name: '李秀兰', relation: '配偶' },
    ],
    actingId: 7,
  });
  const change = jest.fn();
  two.addEventListener('change', change);
  two.querySelectorAll('.chip')[0].dispatchEvent('tap');
  await flush();
  expect(change).not.toHaveBeenCalled(); // already looking at 张建国
  two.querySelectorAll('.chip')[1].dispatchEvent('tap');
  await flush();
  expect(change.mock.calls[0][0].detail).toEqual({ retireeId: 8 });
});

test('status-label says the status in words, with a mark besides the colour', async () => {
  const good = render('status-label', { text: '已报名', code: 'confirmed' });
  expect(good.querySelector('.status').dom.textContent).toBe('✓ 已报名');
  expect(good.querySelector('.good')).toBeTruthy();
  const bad = render('status-label', { text: '无法安排', code: '无法安排' });
  expect(bad.querySelector('.status').dom.textContent).toBe('! 无法安排');
  const wait = render('status-label', { text: '候补', code: 'waitlisted' });
  expect(wait.querySelector('.wait').dom.textContent).toBe('候补');
});
