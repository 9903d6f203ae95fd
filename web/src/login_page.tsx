import { useState } from 'preact/hooks';
import { ApiError } from './api';
import { LanguageSwitch } from './components/language_switch';
import { t } from './i18n';
import { login } from './session';

export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await login(username.trim(), password);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) setError(t('login_wrong'));
      else if (failure instanceof ApiError && failure.status === 429) setError(t('login_throttled'));
      else setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  }

  return (
    <main class="login" id="main">
      <form class="card login-card" onSubmit={submit}>
        <h1>herald</h1>
        <p class="muted">{t('login_intro')}</p>
        <label>
          {t('username')}
          <input
            name="username"
            autocomplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button class="primary" type="submit" disabled={busy}>
          {t('log_in')}
        </button>
        <LanguageSwitch />
      </form>
    </main>
  );
}
