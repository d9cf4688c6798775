import { useState } from 'preact/hooks';
import { rememberToken, takeReturnPath } from '../auth/session';
import { useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';

interface Identities {
  units: Array<{ unitId: string; name: { zh: string; en: string } }>;
  staff: Array<{ email: string; name: string }>;
}

/**
 * Local mode's sign-in, in place of Cognito's managed login: pick a seeded society or a staff
 * member, and the local API signs a token with the claims Cognito would give them.
 */
export function LocalSignIn() {
  const { t, b } = useText();
  const identities = useLoad(() => localJson<Identities>('GET', '/_local/identities'), []);
  const [error, setError] = useState<Error>();
  const signIn = async (identity: Record<string, string>) => {
    try {
      const { token } = await localJson<{ token: string }>('POST', '/_local/token', identity);
      rememberToken(token);
      location.assign(takeReturnPath());
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <>
      <h1>{t('登录（本地模式）', 'Sign in (local mode)')}</h1>
      <p class="hint">
        {t(
          '本地运行时没有统一身份认证：选择一个学会或省科协工作人员即可登录。部署到AWS后，这里是Cognito登录页。',
          'Run locally there is no Cognito: pick a society or a staff member. On AWS this is Cognito’s sign-in page.',
        )}
      </p>
      {error && <ErrorNote error={error} />}
      {identities.loading && <Loading />}
      {identities.error && <ErrorNote error={identities.error} />}
      {identities.data && (
        <>
          <section aria-labelledby="units">
            <h2 id="units">{t('学会', 'Societies')}</h2>
            <ul class="choices">
              {identities.data.units.map((unit) => (
                <li key={unit.unitId}>
                  <button type="button" onClick={() => void signIn({ unitId: unit.unitId })}>
                    {t('以此学会登录：', 'Sign in as ')}
                    {b(unit.name)}
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="staff">
            <h2 id="staff">{t('省科协工作人员', 'Association staff')}</h2>
            <ul class="choices">
              {identities.data.staff.map((person) => (
                <li key={person.email}>
                  <button type="button" onClick={() => void signIn({ role: 'staff', email: person.email })}>
                    {t('以工作人员登录：', 'Sign in as staff: ')}
                    {person.name} &lt;{person.email}&gt;
                  </button>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}

async function localJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(answer.error?.message ?? String(response.status));
  return answer;
}
