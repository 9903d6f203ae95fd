// The shell: the login screen, or the navigation bar and the page the path names.
import { useEffect } from 'preact/hooks';
import { AdminPage } from './admin/admin_page';
import { BellPage } from './bell_page';
import { LoginPage } from './login_page';
import { MailPage } from './mail/mail_page';
import { NavBar } from './components/nav_bar';
import { Toasts } from './components/toasts';
import { t, useLang } from './i18n';
import { navigate, useLocation } from './router';
import { currentUser } from './session';
import { useStore } from './store';
import { useLiveToasts } from './components/live_toasts';

export function App() {
  useLang();
  const user = useStore(currentUser);
  if (user === undefined) return <p class="loading">{t('loading')}</p>;
  if (user === null) return <LoginPage />;
  return <Shell />;
}

function Shell() {
  const { path } = useLocation();
  useLiveToasts();
  useEffect(() => {
    if (path === '/' || path === '/login' || path === '/mail') navigate('/mail/inbox', true);
  }, [path]);

  let page = null;
  if (path.startsWith('/mail') || path.startsWith('/messages/') || path === '/compose') {
    page = <MailPage path={path} />;
  } else if (path === '/bell') {
    page = <BellPage />;
  } else if (path.startsWith('/admin')) {
    page = <AdminPage path={path} />;
  } else if (path !== '/' && path !== '/login') {
    page = <p class="empty">{t('not_found')}</p>;
  }
  return (
    <>
      <a class="skip-link" href="#main">
        {t('skip_to_content')}
      </a>
      <NavBar path={path} />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
      <Toasts />
    </>
  );
}
