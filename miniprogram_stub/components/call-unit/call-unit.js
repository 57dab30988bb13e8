// The one 「打电话给所里」 tap, on every page that tells the user to phone the staff: it calls
// whoever is on duty now for the retiree being looked after (utils/contact.js). `big`: the home
// page's large button; `who`/`phone`: what the page already loaded (the home page shows who
// will answer before the tap).
const contact = require('../../utils/contact');

Component({
  properties: {
    text: { type: String, value: '打电话给所里' },
    big: { type: Boolean, value: false },
    who: { type: String, value: '' },
    phone: { type: String, value: '' },
  },
  data: { said: '' },
  methods: {
    async dial() {
      const done = await contact.dial({ phone: this.data.phone, who: this.data.who });
      this.setData({ said: done.said });
    },
  },
});
