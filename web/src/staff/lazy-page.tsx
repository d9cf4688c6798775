import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNote, Loading } from '../load';

/**
 * A page whose code is fetched when first opened: the staff workspace is a separate download, so a
 * society's phone never loads it. `load` must be the same function from render to render (declared
 * at module level), or the page would be fetched again on every render.
 */
export function LazyPage<P extends object>({ load, props }: { load: () => Promise<ComponentType<P>>; props?: P }) {
  const [loaded, setLoaded] = useState<{ Page?: ComponentType<P>; error?: Error }>({});
  useEffect(() => {
    let live = true;
    load().then(
      (Page) => live && setLoaded({ Page }),
      (error: Error) => live && setLoaded({ error }),
    );
    return () => {
      live = false;
    };
  }, [load]);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  return loaded.Page ? <loaded.Page {...(props ?? ({} as P))} /> : <Loading />;
}
