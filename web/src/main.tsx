import { render } from 'preact';
import { App } from './app';
import { loadSession } from './session';
import './styles.css';

render(<App />, document.getElementById('app')!);
loadSession().catch(() => {
  document.getElementById('app')!.textContent = 'herald: the server cannot be reached.';
});
