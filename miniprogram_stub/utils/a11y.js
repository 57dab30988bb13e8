// Text size: WeChat's own font-size setting (fontSizeScaleFactor) times the user's 字号 choice.
// Every page puts <page-meta root-font-size="{{rootFontSize}}"> first and sizes text in rem,
// so 1rem is never below 18px (18pt, 36rpx on a 375pt-wide screen).
const BASE_PX = 18;
const SIZE_KEY = 'junxiu.textSize';

const SIZES = [
  { key: 'standard', label: '标准', factor: 1 },
  { key: 'large', label: '大', factor: 1.15 },
  { key: 'larger', label: '特大', factor: 1.3 },
];

// WeChat's 字体大小 and 关怀模式 (which turns the font up): fontSizeScaleFactor where the base
// library has it, else fontSizeSetting (the font size in px; WeChat's standard is 17).
const STANDARD_SETTING_PX = 17;

function baseInfo() {
  if (wx.getAppBaseInfo) return wx.getAppBaseInfo();
  return wx.getSystemInfoSync ? wx.getSystemInfoSync() : null;
}

function wechatScale() {
  try {
    const info = baseInfo() || {};
    const factor = Number(info.fontSizeScaleFactor);
    if (factor > 0) return factor;
    const setting = Number(info.fontSizeSetting);
    return setting > 0 ? Math.max(1, setting / STANDARD_SETTING_PX) : 1;
  } catch (err) {
    return 1;
  }
}

function sizeKey() {
  const key = wx.getStorageSync(SIZE_KEY);
  return SIZES.some((s) => s.key === key) ? key : 'standard';
}

function setSizeKey(key) {
  if (!SIZES.some((s) => s.key === key)) return;
  wx.setStorageSync(SIZE_KEY, key);
}

function rootFontSize() {
  const user = SIZES.find((s) => s.key === sizeKey()).factor;
  const px = Math.max(BASE_PX, Math.round(BASE_PX * wechatScale() * user));
  return `${px}px`;
}

module.exports = { SIZES, rootFontSize, sizeKey, setSizeKey, wechatScale, BASE_PX };
