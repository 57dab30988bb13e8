// Voice in and out through WeChat's 同声传译 plugin (WechatSI, declared in app.json "plugins").
// recognizer(): hold-to-talk; the recognised text goes to onText ('' when nothing was heard).
// reader(): reads a text aloud, a piece at a time (textToSpeech takes about 1,000 bytes per
// call), the pieces played one after another.
// Without the plugin (not yet enabled for the app) both return null and the page hides them.
const PLUGIN = 'WechatSI';
const PIECE = 300; // Chinese characters per textToSpeech call (3 bytes each in UTF-8)

function plugin() {
  try {
    return typeof requirePlugin === 'function' ? requirePlugin(PLUGIN) : null;
  } catch (err) {
    return null;
  }
}

function recognizer({ onText, onFail }) {
  const si = plugin();
  if (!si || typeof si.getRecordRecognitionManager !== 'function') return null;
  // One manager for the whole app: this page's handlers replace any earlier ones.
  const manager = si.getRecordRecognitionManager();
  manager.onStart = () => {};
  manager.onStop = (res) => onText(String((res && res.result) || '').trim());
  manager.onError = (res) => onFail(res || {});
  return {
    start() {
      manager.start({ lang: 'zh_CN', duration: 60000 });
    },
    stop() {
      manager.stop();
    },
  };
}

// Split at sentence ends so a piece never cuts a sentence unless the sentence itself is long.
function pieces(text) {
  const sentences = String(text || '').match(/[^。！？；\n]+[。！？；\n]*/g) || [];
  const out = [];
  let current = '';
  sentences.forEach((sentence) => {
    for (let i = 0; i < sentence.length; i += PIECE) {
      const part = sentence.slice(i, i + PIECE);
      if ((current + part).length > PIECE) {
        if (current.trim()) out.push(current.trim());
        current = part;
      } else {
        current += part;
      }
    }
  });
  if (current.trim()) out.push(current.trim());
  return out;
}

function reader() {
  const si = plugin();
  if (!si || typeof si.textToSpeech !== 'function' || !wx.createInnerAudioContext) return null;
  const audio = wx.createInnerAudioContext();
  let queue = [];
  let callbacks = null;

  function finish(failed) {
    const done = callbacks;
    queue = [];
    callbacks = null;
    if (done) (failed ? done.onError : done.onEnd)();
  }

  function next() {
    const content = queue.shift();
    if (!content) {
      finish(false);
      return;
    }
    si.textToSpeech({
      lang: 'zh_CN',
      tts: true,
      content,
      success(res) {
        if (!callbacks) return; // stopped while the speech was being made
        audio.src = res.filename;
        audio.play();
      },
      fail() {
        finish(true);
      },
    });
  }

  audio.onEnded(next);
  audio.onError(() => finish(true));
  return {
    read(text, done) {
      audio.stop();
      queue = pieces(text);
      callbacks = done;
      next();
    },
    stop() {
      queue = [];
      callbacks = null;
      audio.stop();
    },
    destroy() {
      audio.destroy();
    },
  };
}

module.exports = { recognizer, reader, pieces };
