// The navigation bar: mail with its unread count, the bell with its own, the admin console,
// the language and the account. The counts follow the live `counts` events.
import { useEffect } from 'preact/hooks';
import { t } from '../i18n';
import { liveState, unreadCounts } from '../live';
import { onLinkClick } from '../router';
import { canSend, currentUser, isAdmin, logout } from '../session';
import { useStore } from '../store';
import { BellIcon } from './icons';
import { LanguageSwitch } from './language_switch';

function Badge({ count, label }: { count: number; label: string }) {
  if (count <= 0) return null;
  return (
    <span class="badge" aria-label={label}>
      {count > 999 ? '999+' : count}
    </span>
  );
}

export function NavBar({ path }: { path: string }) {
  const user = useStore(currentUser);
  const unread = useStore(unreadCounts);
  const live = useStore(liveState);
  // The tab's title carries the unread mail, so that it shows when the tab is in the background.
  useEffect(() => {
    document.title = unread.inbox > 0 ? `(${unread.inbox}) herald` : 'herald';
  }, [unread.inbox]);
  const link = (href: string, active: boolean) => ({
    href,
    onClick: onLinkClick,
    'aria-current': active ? ('page' as const) : undefined,
  });
  const mailActive = path.startsWith('/mail') || path.startsWith('/messages') || path === '/compose';
  return (
    <header class="nav-bar">
      <nav aria-label={t('main_navigation')}>
        <a class="brand" {...link('/mail/inbox', false)}>
          herald
        </a>
        <a class="nav-link" data-testid="nav-mail" {...link('/mail/inbox', mailActive)}>
          {t('mail')}
          <Badge count={unread.inbox} label={t('unread_count', { count: unread.inbox })} />
        </a>
        {canSend(user) && (
          <a class="nav-link" {...link('/admin/broadcasts', path.startsWith('/admin/broadcasts'))}>
            {t('broadcasts')}
          </a>
        )}
        {isAdmin(user) && (
          <a
            class="nav-link"
            {...link('/admin/users', path.startsWith('/admin') && !path.startsWith('/admin/broadcasts'))}
          >
            {t('admin')}
          </a>
        )}
      </nav>
      <div class="nav-tools">
        <a
          class="nav-link bell"
          data-testid="nav-bell"
          title={t('notifications')}
          {...link('/bell', path === '/bell')}
        >
          <BellIcon />
          <span class="visually-hidden">{t('notifications')}</span>
          <Badge
            count={unread.notifications}
            label={t('unread_count', { count: unread.notifications })}
          />
        </a>
        {live !== 'open' && (
          <span class="offline" title={t('live_offline')}>
            {t('offline')}
          </span>
        )}
        <LanguageSwitch />
        <span class="who" title={user?.username}>
          {user?.display_name}
        </span>
        <button class="link-button" onClick={() => logout()}>
          {t('log_out')}
        </button>
      </div>
    </header>
  );
}
