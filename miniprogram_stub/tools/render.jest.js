// Renders every page in each state that matters, from its real WXML/WXSS/JS through
// miniprogram-simulate, with the server's answers replayed from a recording of the demo
// (tools/record_demo.py). Writes one self-contained HTML file per page, state and font size
// (the DOM + app.wxss + page and component wxss, rpx at a 375pt-wide phone) and a manifest;
// tests/miniprogram/screens.py loads them into Chromium. Run by `make screenshots`:
//   SCREENS_RECORDING=… SCREENS_OUT=… npx jest --ci --testMatch '<rootDir>/tools/render.jest.js'
const fs = require('fs');
const path = require('path');
const exparser = require('miniprogram-exparser');
const wxss = require('miniprogram-simulate/src/wxss');
const { FakeServer, installWx, loadPage, flush, tap, input, ROOT } = require('../tests/helpers');
const { SHOTS, FONTS } = require('./shots');

const RECORDING = process.env.SCREENS_RECORDING;
const OUT = process.env.SCREENS_OUT;
const run = RECORDING && OUT ? describe : describe.skip;
jest.setTimeout(60000); // a shared machine may be slow; a page is never waited on by time

// Tap handlers leave no trace in the DOM: mark each element that listens for a tap.
const addListener = exparser.addListenerToElement;
exparser.addListenerToElement = function mark(node, name, ...rest) {
  if (name === 'tap' && node.$$ && node.$$.setAttribute) node.$$.setAttribute('data-tap', '');
  return addListener.call(this, node, name, ...rest);
};

// WeChat's own defaults for its components (style v2), as far as the layout depends on them.
const BASE_CSS = `
html { -webkit-text-size-adjust: none; }
body { margin: 0; width: 375px; background: #fff;
  font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; }
main, wx-view, wx-button, wx-picker, wx-input, wx-textarea, wx-scroll-view, wx-form { display: block; }
wx-page-meta { display: none; }
wx-text, wx-status-label { display: inline; }
status-label { display: inline; }
retiree-switch { display: block; }
wx-image { display: inline-block; width: 160px; height: 120px; overflow: hidden; background: #ddd; }
wx-button { position: relative; margin-left: auto; margin-right: auto; padding-left: 14px;
  padding-right: 14px; box-sizing: border-box; font-size: 18px; text-align: center;
  line-height: 2.55555556; border-radius: 5px; overflow: hidden; color: #000;
  background-color: #f8f8f8; }
wx-button:not([size=mini]) { width: 184px; }
wx-input { height: 1.4rem; min-height: 1.4rem; overflow: hidden; text-overflow: clip; }
wx-textarea { width: 300px; height: 150px; }
.shot-nav { height: 44px; padding-top: 20px; background: #0b4f94; color: #fff; font-size: 17px;
  font-weight: bold; text-align: center; line-height: 44px; }
.shot-tabs { display: flex; border-top: 1px solid #000; height: 50px; background: #fff; }
.shot-tabs div { flex: 1; text-align: center; line-height: 50px; font-size: 12px; color: #333; }
.shot-tabs div.on { color: #0b4f94; font-weight: bold; }
.shot-fold { position: absolute; left: 0; width: 375px; border-top: 2px dashed #d00; }
`;

function rpx(css) {
  return css.replace(/(-?\d*\.?\d+)rpx/gi, (_, n) => `${+(Number(n) * 0.5).toFixed(3)}px`);
}

function read(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

// app.wxss + the page's wxss under the page's class prefix, each component's under its tag.
function pageCss(name) {
  const dir = path.join(ROOT, 'pages', name);
  const json = JSON.parse(read(path.join(dir, `${name}.json`)) || '{}');
  const parts = [
    wxss.compile(read(path.join(ROOT, 'app.wxss')) + read(path.join(dir, `${name}.wxss`)), {
      prefix: 'main',
    }),
  ];
  Object.entries(json.usingComponents || {}).forEach(([tag, ref]) => {
    parts.push(wxss.compile(read(path.join(ROOT, `${ref}.wxss`)), { prefix: tag }));
  });
  // WeChat's `page` is the page's root box.
  return rpx(parts.join('\n')).replace(/(^|[},\s])page(?=[\s,{.:[])/g, '$1main');
}

function appJson() {
  return JSON.parse(read(path.join(ROOT, 'app.json')));
}

function title(name) {
  const json = JSON.parse(read(path.join(ROOT, 'pages', name, `${name}.json`)) || '{}');
  return json.navigationBarTitleText || appJson().window.navigationBarTitleText;
}

// The strings of the recorded answers that are people's data (they contain Chinese) or codes
// and plates: the only places where Latin letters may appear on a page.
function dataWords(responses) {
  const words = new Set();
  const walk = (v, key) => {
    if (typeof v === 'string') {
      if (/[\u4e00-\u9fff]/.test(v) || /^(code|plate|name|display_name)$/.test(key || '')) {
        (v.match(/[A-Za-z0-9]+/g) || []).forEach((w) => /[A-Za-z]/.test(w) && words.add(w));
      }
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, k));
  };
  walk(responses, '');
  return [...words];
}

function replayKey(method, url) {
  const u = new URL(url);
  const pairs = [...u.searchParams.entries()].sort((a, b) =>
    a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1,
  );
  const q = new URLSearchParams(pairs).toString();
  return `${method} ${u.pathname}${q ? `?${q}` : ''}`;
}

function replayServer(responses, shot, misses) {
  return {
    handle(opts) {
      if (shot.network === 'down') return FakeServer.NETWORK;
      if (shot.network === 'proxy-error') {
        return { statusCode: 502, data: '<html><body>502 Bad Gateway</body></html>' };
      }
      const key = replayKey(opts.method, opts.url);
      const hit = responses[key];
      if (!hit) {
        misses.push(`${shot.page}-${shot.state}: ${key}`);
        return { statusCode: 404, data: { code: 'not_found', message: '没有找到。', detail: null } };
      }
      return { statusCode: hit.status, data: JSON.parse(JSON.stringify(hit.body)) };
    },
  };
}

function shell(shot, font, html, css, rootFontSize) {
  const tabs = (appJson().tabBar || { list: [] }).list;
  const here = `pages/${shot.page}/${shot.page}`;
  const tabbed = tabs.some((t) => t.pagePath === here);
  const tabBar = tabbed
    ? `<div class="shot-tabs">${tabs
        .map((t) => `<div class="${t.pagePath === here ? 'on' : ''}">${t.text}</div>`)
        .join('')}</div>`
    : '';
  return `<!doctype html><html lang="zh-CN" style="font-size:${rootFontSize}"><head><meta charset="utf-8">
<meta name="viewport" content="width=375">
<style>${BASE_CSS}</style><style>${css}</style></head>
<body data-page="${shot.page}" data-state="${shot.state}" data-font="${font.key}">
<div class="shot-nav">${title(shot.page)}</div>
<div id="screen">${html}</div>
${tabBar}
</body></html>`;
}

const helpers = { tap, input, flush };

run('screens', () => {
  const recording = RECORDING ? JSON.parse(fs.readFileSync(RECORDING, 'utf8')) : { scenes: {} };
  const misses = [];
  const manifest = [];

  beforeAll(() => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse(recording.now));
  });

  afterAll(() => {
    fs.writeFileSync(
      path.join(OUT, 'manifest.json'),
      JSON.stringify({ shots: manifest, misses }, null, 1),
    );
  });

  FONTS.forEach((font) => {
    SHOTS.forEach((shot) => {
      test(`${font.key} ${shot.page}-${shot.state}`, async () => {
        const scene = recording.scenes[shot.scene];
        const wx = installWx(replayServer(scene.responses, shot, misses), {
          getAppBaseInfo: () => ({ fontSizeScaleFactor: font.scale, fontSizeSetting: 17 * font.scale }),
        });
        wx.setStorageSync('junxiu.token', scene.token);
        wx.setStorageSync('junxiu.me', scene.me);
        Object.entries(shot.storage || {}).forEach(([k, v]) => wx.setStorageSync(k, v));
        const page = await loadPage(shot.page, shot.query ? shot.query(scene) : {});
        if (shot.steps) await shot.steps(page, helpers, scene);
        await flush();
        const dir = path.join(OUT, font.key);
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${shot.page}-${shot.state}.html`);
        const html = shell(shot, font, page.dom.outerHTML, pageCss(shot.page), page.data.rootFontSize);
        fs.writeFileSync(file, html);
        manifest.push({
          font: font.key,
          page: shot.page,
          state: shot.state,
          html: path.relative(OUT, file),
          rootFontSize: page.data.rootFontSize,
          dataWords: dataWords(scene.responses),
        });
      });
    });
  });

  test('every request was in the recording', () => {
    expect(misses).toEqual([]);
  });
});
