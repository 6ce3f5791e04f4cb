import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router/index.js';
import { onActivity, onUnauthenticated } from './api/http.js';
import { useSessionStore } from './stores/session.js';
import { useStudiesStore } from './stores/studies.js';
import { t } from './i18n/index.js';
import './styles.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
// `$t` in every template; scripts import `t` from ./i18n.
app.config.globalProperties.$t = t;

const session = useSessionStore(pinia);
session.restore();

// The one reaction to a dead session: forget it and go back to sign-in, remembering where we were.
onUnauthenticated(() => {
  if (!session.signedIn) return;
  session.clear('auth.sessionEnded');
  useStudiesStore(pinia).reset();
  const here = router.currentRoute.value;
  void router.push({ name: 'sign-in', query: here.meta.public ? {} : { redirect: here.fullPath } });
});

// Every answered request restarts the server's idle clock; the idle warning counts from the last one.
onActivity(() => session.noteActivity());

app.use(router);
app.mount('#app');
