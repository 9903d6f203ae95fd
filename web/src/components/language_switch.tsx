import { setLang, t, useLang, type Lang } from '../i18n';

export function LanguageSwitch() {
  const lang = useLang();
  return (
    <label class="language">
      <span class="visually-hidden">{t('language')}</span>
      <select
        value={lang}
        aria-label={t('language')}
        onChange={(e) => setLang(e.currentTarget.value as Lang)}
      >
        <option value="en">English</option>
        <option value="fr">Français</option>
      </select>
    </label>
  );
}
