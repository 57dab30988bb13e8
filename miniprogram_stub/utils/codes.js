// Codes as people type them: full-width digits and letters (１２３４５６, from a Chinese input
// method) become the plain ones, spaces go, letters are upper case. Length is checked here so a
// wrong code is explained before anything is sent.
function toHalfWidth(value) {
  return String(value || '')
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]+/g, '')
    .toUpperCase();
}

// Each check returns a sentence for the page, or '' when the code looks right.
function bindCodeProblem(code) {
  if (!code) return '请填写工作人员给您的6位绑定码。';
  if (!/^\d{6}$/.test(code)) return '绑定码是6位数字，请对照工作人员给的纸条再填一次。';
  return '';
}

function idTailProblem(tail) {
  if (!tail) return '请填写身份证号的最后4位。';
  if (!/^\d{3}[\dX]$/.test(tail)) return '身份证后4位是4个数字（最后一位也可能是X），请再看一下身份证。';
  return '';
}

function inviteProblem(code) {
  if (!code) return '请填写家里老人给您的邀请码。';
  if (!/^[0-9A-Z]{6,12}$/.test(code)) return '邀请码是8位数字和字母，请对照老人手机上的邀请码再填一次。';
  return '';
}

module.exports = { toHalfWidth, bindCodeProblem, idTailProblem, inviteProblem };
