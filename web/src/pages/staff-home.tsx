import { LazyPage } from '../staff/lazy-page';

const home = () => import('../staff/home').then((m) => m.StaffHomePage);

/** A staff member's start page (fetched when opened: a society's phone never downloads it). */
export function StaffHome() {
  return <LazyPage load={home} />;
}
