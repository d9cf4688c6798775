import { useEffect, useState } from 'preact/hooks';
import { completeSignIn } from '../auth/session';
import { useText } from '../i18n';
import { ErrorNote, Loading } from '../load';

/** Where Cognito's managed login sends the person back with a code. */
export function Callback() {
  const { t } = useText();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    completeSignIn().then((path) => location.replace(path), setError);
  }, []);
  return (
    <>
      <h1>{t('正在登录', 'Signing in')}</h1>
      {error ? <ErrorNote error={error} /> : <Loading />}
    </>
  );
}
