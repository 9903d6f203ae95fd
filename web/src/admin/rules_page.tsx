// Communication rules: which group's members may address which group.
import { useState } from 'preact/hooks';
import { del, post } from '../api';
import { usePagedList } from '../components/paged_list';
import { formatDate, t } from '../i18n';
import { attempt } from '../toasts';
import type { Group, Rule } from '../types';

export function RulesPage() {
  const rules = usePagedList<Rule>('/rules', {});
  const groups = usePagedList<Group>('/groups', { limit: '200' });
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const name = (id: string) => groups.items?.find((group) => group.id === id)?.name ?? id;

  async function add(event: Event) {
    event.preventDefault();
    await attempt(async () => {
      await post('/rules', { from_group: from, to_group: to });
      rules.reload();
    });
  }

  async function remove(rule: Rule) {
    await attempt(async () => {
      await del(`/rules/${encodeURIComponent(rule.id)}`);
      rules.reload();
    });
  }

  return (
    <section>
      <h1>{t('rules')}</h1>
      <p class="muted">{t('rules_intro')}</p>
      {rules.items?.length === 0 && <p class="empty">{t('no_rules')}</p>}
      <ul class="plain-list" data-testid="rules">
        {rules.items?.map((rule) => (
          <li key={rule.id}>
            {t('rule_text', { from: name(rule.from_group), to: name(rule.to_group) })}{' '}
            <span class="muted">{formatDate(rule.created_at)}</span>{' '}
            <button class="link-button" onClick={() => remove(rule)}>
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <form class="card inline-form" onSubmit={add}>
        <h2>{t('add_rule')}</h2>
        <label>
          {t('members_of')}
          <select required value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
            <option value="">—</option>
            {groups.items?.map((group) => <option key={group.id} value={group.id}>{group.name}</option>)}
          </select>
        </label>
        <label>
          {t('may_write_to')}
          <select required value={to} onChange={(e) => setTo(e.currentTarget.value)}>
            <option value="">—</option>
            {groups.items?.map((group) => <option key={group.id} value={group.id}>{group.name}</option>)}
          </select>
        </label>
        <button class="primary" type="submit">
          {t('add')}
        </button>
      </form>
    </section>
  );
}
