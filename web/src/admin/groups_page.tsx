// Groups: the list with a form to add one; a group's page with its members, to add and remove.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, put, query } from '../api';
import { usePagedList } from '../components/paged_list';
import { t } from '../i18n';
import { onLinkClick } from '../router';
import { attempt, showToast } from '../toasts';
import type { Group, Page, User } from '../types';

export function GroupsPage() {
  const list = usePagedList<Group>('/groups', {});
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');

  async function add(event: Event) {
    event.preventDefault();
    await attempt(async () => {
      await post('/groups', { name, description });
      setName('');
      setDescription('');
      list.reload();
    });
  }

  return (
    <section>
      <h1>{t('groups')}</h1>
      {list.error && <p class="error" role="alert">{list.error}</p>}
      <table class="list">
        <thead>
          <tr>
            <th>{t('name')}</th>
            <th class="wide-only">{t('description')}</th>
            <th>{t('members')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items?.map((group) => (
            <tr key={group.id}>
              <td>
                <a href={`/admin/groups/${group.id}`} onClick={onLinkClick}>
                  {group.name}
                </a>
              </td>
              <td class="wide-only">{group.description}</td>
              <td>{group.member_count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.more && <button class="more" onClick={list.more}>{t('more')}</button>}
      <form class="card inline-form" onSubmit={add}>
        <h2>{t('add_group')}</h2>
        <label>
          {t('name')}
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t('description')}
          <input value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <button class="primary" type="submit">
          {t('add')}
        </button>
      </form>
    </section>
  );
}

export function GroupPage({ id }: { id: string }) {
  const [group, setGroup] = useState<Group | null>(null);
  const members = usePagedList<User>(`/groups/${encodeURIComponent(id)}/members`, {});
  const [search, setSearch] = useState('');
  const [candidates, setCandidates] = useState<User[]>([]);

  useEffect(() => {
    get<Group>(`/groups/${encodeURIComponent(id)}` + query({ limit: 1 }))
      .then(setGroup)
      .catch((failure: Error) => showToast(failure.message, 'error'));
  }, [id]);

  useEffect(() => {
    if (!search.trim()) {
      setCandidates([]);
      return;
    }
    const timer = setTimeout(() => {
      get<Page<User>>('/users' + query({ q: search.trim(), limit: 8 }))
        .then((page) => setCandidates(page.items))
        .catch(() => setCandidates([]));
    }, 150);
    return () => clearTimeout(timer);
  }, [search]);

  async function change(user: User, add: boolean) {
    const path = `/groups/${encodeURIComponent(id)}/members/${encodeURIComponent(user.id)}`;
    await attempt(async () => {
      if (add) await put(path);
      else await del(path);
      members.reload();
      setGroup((old) => old && { ...old, member_count: old.member_count + (add ? 1 : -1) });
      setSearch('');
    });
  }

  if (!group) return <p class="muted">{t('loading')}</p>;
  return (
    <section>
      <h1>{group.name}</h1>
      <p class="muted">{group.description}</p>
      <h2>{t('members_count', { count: group.member_count })}</h2>
      <ul class="plain-list" data-testid="group-members">
        {members.items?.map((user) => (
          <li key={user.id}>
            {user.display_name} <span class="muted">({user.username})</span>{' '}
            <button class="link-button" onClick={() => change(user, false)}>
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      {members.more && <button class="more" onClick={members.more}>{t('more')}</button>}
      <div class="card">
        <label>
          {t('add_member')}
          <input type="search" value={search} placeholder={t('search_users')} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        <ul class="plain-list">
          {candidates.map((user) => (
            <li key={user.id}>
              <button class="link-button" onClick={() => change(user, true)}>
                {t('add_named', { name: `${user.display_name} (${user.username})` })}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
