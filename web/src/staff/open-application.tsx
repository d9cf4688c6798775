import { useState } from 'preact/hooks';
import { appPath } from '../config';
import { useText } from '../i18n';
import { navigate } from '../router';

/** Opens an application by its number: the number on an envelope, a call, an email. */
export function OpenApplication() {
  const { t } = useText();
  const [number, setNumber] = useState('');
  return (
    <form
      class="open-application"
      onSubmit={(e) => {
        e.preventDefault();
        if (number.trim()) navigate(appPath(`staff/applications/${encodeURIComponent(number.trim())}`));
      }}
    >
      <label for="open-number">{t('按申报编号打开', 'Open by application number')}</label>
      <input id="open-number" value={number} onInput={(e) => setNumber((e.target as HTMLInputElement).value)} />
      <button type="submit">{t('打开', 'Open')}</button>
    </form>
  );
}
