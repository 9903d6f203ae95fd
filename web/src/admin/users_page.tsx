// Users: search, multi-select, Actions > Send message, and a form to add a user.
import { useState } from 'preact/hooks';
import { post } from '../api';
import { usePagedList } from '../components/paged_list';
import { SearchBox } from '../components/search_box';
import { formatDate, t } from '../i18n';
import { showToast } from '../toasts';
import type { Role, User } from '../types';
import { ActionsMenu, useSelection } from '../components/selection';
import { SendMessageDialog, type Target } from './send_message_dialog';

function AddUser({ onAdded }: { onAdded: () => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');

  async function submit(event: Event) {
    event.preventDefault();
    try {
      await post('/users', {
        username,
        display_name: displayName || undefined,
        email: email || undefined,
        role,
        password: password || undefined,
      });
      showToast(t('user_added', { name: username }));
      setUsername('');
      setDisplayName('');
      setEmail('');
      setPassword('');
      setError('');
      onAdded();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <details class="card">
      <summary>{t('add_user')}</summary>
      <form class="grid-form" onSubmit={submit}>
        <label>
          {t('username')}
          <input required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label>
          {t('display_name')}
          <input value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </label>
        <label>
          {t('email')}
          <input type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          {t('role')}
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            <option value="user">user</option>
            <option value="sender">sender</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label>
          {t('password')}
          <input
            type="password"
            autocomplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <button class="primary" type="submit">
          {t('add')}
        </button>
      </form>
    </details>
  );
}

export function UsersPage() {
  const [search, setSearch] = useState('');
  const list = usePagedList<User>('/users', { q: search.trim() || undefined });
  const selection = useSelection<User>();
  const [dialog, setDialog] = useState<Target[] | null>(null);


  const items = list.items ?? [];
  return (
    <section>
      <div class="toolbar">
        <h1>{t('users')}</h1>
        <SearchBox label={t('search_users')} value={search} onInput={setSearch} />
        <ActionsMenu
          count={selection.selected.size}
          onSendMessage={() =>
            setDialog([...selection.selected.values()].map((u) => ({ address: `user:${u.id}`, label: u.display_name })))
          }
        />
      </div>
      {list.error && <p class="error" role="alert">{list.error}</p>}
      <table class="list" data-testid="users-table">
        <thead>
          <tr>
            <th>
              <input
                type="checkbox"
                aria-label={t('select_all')}
                checked={selection.allOf(items)}
                onChange={() => selection.toggleAll(items)}
              />
            </th>
            <th>{t('name')}</th>
            <th>{t('username')}</th>
            <th class="wide-only">{t('email')}</th>
            <th>{t('role')}</th>
            <th class="wide-only">{t('created')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((user) => (
            <tr key={user.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={t('select_user', { name: user.display_name })}
                  checked={selection.has(user)}
                  onChange={() => selection.toggle(user)}
                />
              </td>
              <td>{user.display_name}</td>
              <td>{user.username}</td>
              <td class="wide-only">{user.email ?? '—'}</td>
              <td>{user.role}</td>
              <td class="wide-only">{formatDate(user.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.more && <button class="more" onClick={list.more}>{t('more')}</button>}
      <AddUser onAdded={list.reload} />
      {dialog && <SendMessageDialog targets={dialog} onClose={() => setDialog(null)} />}
    </section>
  );
}
