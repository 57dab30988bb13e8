// The app shell: log in silently at start; pages wait for auth.ready() themselves.
const auth = require('./utils/auth');

App({
  onLaunch() {
    auth.ready().catch(() => {
      // Each page shows its own error and a way to try again.
    });
  },
});
