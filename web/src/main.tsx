import { render } from 'preact';
import { prefetch } from './api';
import { App } from './app';
import { loadSession } from './session';
import './styles.css';

// The inbox is the first screen: ask for it together with the session, not after it.
if (['/', '/mail', '/mail/inbox'].includes(window.location.pathname)) {
  prefetch('/folders/inbox/messages?limit=50');
  prefetch('/folders');
}
render(<App />, document.getElementById('app')!);
loadSession().catch(() => {
  document.getElementById('app')!.textContent = 'herald: the server cannot be reached.';
});
