import { useText } from '../i18n';
import type { Problem } from './checks';

/** The problems shown under one field, in the reader's language (nothing when there are none). */
export function Problems({ id, problems }: { id: string; problems: readonly Problem[] }) {
  const { b } = useText();
  if (!problems.length) return null;
  return (
    <ul class="problems" id={id}>
      {problems.map((p, i) => (
        <li key={i}>{b(p.text)}</li>
      ))}
    </ul>
  );
}
