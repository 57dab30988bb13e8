// 「打电话给所里」: who answers now and the number to dial, for the retiree being looked after
// (a family member reaches their parent's unit). The server reads the 值班表: the staff member
// on duty now, else the unit's own number, else the unit above (GET /api/v1/contact/call).
// The last number the server gave is remembered, so the button still works when the server
// cannot be reached; before binding there is no unit, only the number set at deployment.
const api = require('./api');
const auth = require('./auth');
const errors = require('./errors');
const { call } = require('./request');

const UNKNOWN = '请打所里的值班电话，号码在所里发的联系卡上。';

// → { phone, who }: phone '' when no number is known.
async function lookup() {
  const acting = auth.acting();
  if (acting) {
    try {
      const res = await call(api.contactCall, { query: { retiree_id: acting.retiree_id } });
      if (res && res.phone) {
        errors.rememberUnitPhone(res.phone);
        return { phone: String(res.phone), who: res.who || '' };
      }
    } catch (err) {
      // No answer from the server: the remembered number below.
    }
  }
  return { phone: errors.unitPhone(), who: '' };
}

// Dial: the number the page already has, else the server's, else the remembered one. Returns
// what happened, with the sentence to show when there is nothing to dial.
async function dial(known) {
  const found = known && known.phone ? known : await lookup();
  if (!found.phone) return { phone: '', said: UNKNOWN };
  wx.makePhoneCall({ phoneNumber: found.phone });
  return { phone: found.phone, said: '' };
}

module.exports = { lookup, dial, UNKNOWN };
