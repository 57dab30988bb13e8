// Every page follows WeChat's font size / 关怀模式 and the user's 字号 through utils/page.js:
// none sets the size itself, each binds it to <page-meta> first thing.
const fs = require('fs');
const path = require('path');
const { FakeServer, installWx, loadPage, loggedIn, ROOT } = require('./helpers');

const PAGES = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')).pages.map((p) =>
  p.split('/')[1],
);

function server() {
  // Empty answers are enough: the size does not depend on what the page shows.
  const s = new FakeServer();
  s.on('GET', '/api/v1/{rest}', () => ({ data: [], count: 0, unread: 0 }));
  return s;
}

describe.each(PAGES)('%s', (name) => {
  test('binds the root font size first, and never sets it itself', () => {
    const wxml = fs.readFileSync(path.join(ROOT, 'pages', name, `${name}.wxml`), 'utf8');
    expect(wxml.trim().startsWith('<page-meta root-font-size="{{rootFontSize}}">')).toBe(true);
    const js = fs.readFileSync(path.join(ROOT, 'pages', name, `${name}.js`), 'utf8');
    expect(js).toMatch(/behaviors: \[page\]/);
    expect(js).not.toMatch(/fontSizeScaleFactor|getAppBaseInfo/);
  });

  test("follows WeChat's largest font (关怀模式)", async () => {
    const wx = installWx(server());
    loggedIn(wx);
    wx.getAppBaseInfo.mockReturnValue({ fontSizeScaleFactor: 1.4 });
    const page = await loadPage(name, { id: '1' });
    expect(page.data.rootFontSize).toBe('25px');
  });

  test('follows the font setting where the scale factor is missing', async () => {
    const wx = installWx(server());
    loggedIn(wx);
    wx.getAppBaseInfo.mockReturnValue({ fontSizeSetting: 24 });
    const page = await loadPage(name, { id: '1' });
    expect(page.data.rootFontSize).toBe(`${Math.round((18 * 24) / 17)}px`);
  });
});

test('a font size changed while the app was away applies when the page shows again', async () => {
  const wx = installWx(server());
  loggedIn(wx);
  const page = await loadPage('rides');
  expect(page.data.rootFontSize).toBe('18px');
  wx.getAppBaseInfo.mockReturnValue({ fontSizeScaleFactor: 1.2 });
  page.instance.onShow();
  expect(page.data.rootFontSize).toBe(`${Math.round(18 * 1.2)}px`);
});
