// The admin console: a tab bar of its sections and the section the path names. Senders see
// the broadcasts alone; the server refuses the rest to them anyway.
import { t, type Key } from '../i18n';
import { match, onLinkClick } from '../router';
import { currentUser, isAdmin } from '../session';
import { useStore } from '../store';
import { BroadcastPage, BroadcastsPage } from './broadcasts_page';
import { DeliveriesPage } from './deliveries_page';
import { DevicePage, DevicesPage } from './devices_page';
import { GroupPage, GroupsPage } from './groups_page';
import { RulesPage } from './rules_page';
import { SessionsPage } from './sessions_page';
import { UsersPage } from './users_page';

const sections: { path: string; label: Key; adminOnly: boolean }[] = [
  { path: '/admin/users', label: 'users', adminOnly: true },
  { path: '/admin/devices', label: 'devices', adminOnly: true },
  { path: '/admin/groups', label: 'groups', adminOnly: true },
  { path: '/admin/rules', label: 'rules', adminOnly: true },
  { path: '/admin/sessions', label: 'sessions', adminOnly: true },
  { path: '/admin/broadcasts', label: 'broadcasts', adminOnly: false },
];

function content(path: string) {
  let params;
  if (path === '/admin/users') return <UsersPage />;
  if (path === '/admin/devices') return <DevicesPage />;
  if ((params = match('/admin/devices/:id', path))) return <DevicePage id={params.id} />;
  if (path === '/admin/groups') return <GroupsPage />;
  if ((params = match('/admin/groups/:id', path))) return <GroupPage id={params.id} />;
  if (path === '/admin/rules') return <RulesPage />;
  if (path === '/admin/sessions') return <SessionsPage />;
  if (path === '/admin/broadcasts') return <BroadcastsPage />;
  if ((params = match('/admin/broadcasts/:id', path))) return <BroadcastPage id={params.id} />;
  if ((params = match('/admin/deliveries/:id', path))) return <DeliveriesPage messageId={params.id} />;
  return <p class="empty">{t('not_found')}</p>;
}

export function AdminPage({ path }: { path: string }) {
  const user = useStore(currentUser);
  const visible = sections.filter((section) => !section.adminOnly || isAdmin(user));
  return (
    <div class="admin">
      {visible.length > 1 && (
        <nav class="admin-tabs" aria-label={t('admin')}>
          {visible.map((section) => (
            <a
              key={section.path}
              href={section.path}
              onClick={onLinkClick}
              aria-current={path.startsWith(section.path) ? 'page' : undefined}
            >
              {t(section.label)}
            </a>
          ))}
        </nav>
      )}
      {content(path)}
    </div>
  );
}
