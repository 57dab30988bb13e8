// A status shown in words and a tone (the colour only repeats what the words say).
const TONES = {
  good: [
    'confirmed', 'approved', 'dispatched', 'completed', '已通过', '已派车', '已完成', '已预订', 'booked',
  ],
  wait: ['waitlisted', 'submitted', 'draft', 'none', 'requested', '已申请', '候补', '已提交待审核'],
  bad: ['cancelled', 'returned', 'talk', 'unarranged', '已取消', '无法安排', '退回需补正', '需约谈'],
};

function toneOf(code) {
  const key = Object.keys(TONES).find((tone) => TONES[tone].indexOf(code) >= 0);
  return key || 'plain';
}

Component({
  properties: {
    text: { type: String, value: '' },
    code: { type: String, value: '' },
  },
  data: { tone: 'plain' },
  observers: {
    'text, code': function update(text, code) {
      this.setData({ tone: toneOf(code || text) });
    },
  },
});
