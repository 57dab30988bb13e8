// 紧急求助 shared by the home button and the status page: the one question asked before sending,
// and the location, only if the user allows it and only as long as a person would wait.
const CALL_120 = '有生命危险请马上打120';
const QUESTION = '马上通知所里工作人员来帮您？';

// The one question: for the retiree, or for the parent a family member looks after.
function question(acting) {
  return acting && !acting.self ? `马上通知所里工作人员去帮${acting.name}？` : QUESTION;
}
const CONFIRM = '马上求助';
const LOCATION_WAIT_MS = 3000;

// {latitude, longitude} or {} — refusing, no permission, or a slow fix never stop the alert.
function location() {
  return new Promise((resolve) => {
    let done = false;
    let timer = null;
    const finish = (value) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      resolve(value);
    };
    timer = setTimeout(() => finish({}), LOCATION_WAIT_MS);
    try {
      wx.getLocation({
        type: 'gcj02',
        success: (res) => finish({ latitude: res.latitude, longitude: res.longitude }),
        fail: () => finish({}),
      });
    } catch (err) {
      finish({});
    }
  });
}

module.exports = { CALL_120, QUESTION, CONFIRM, question, location };
