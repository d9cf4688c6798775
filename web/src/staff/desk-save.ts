import { useState } from 'preact/hooks';

/**
 * The state of a desk form that saves one thing: whether it is saving, what the API refused, and the
 * sentence saying what was saved. `save` runs the request, whose answer is that sentence.
 */
export function useDeskSave() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState('');
  const save = async (work: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    setDone('');
    try {
      setDone(await work());
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, done, save };
}
