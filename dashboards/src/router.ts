/** Hash routes (#/sites/abc), so every page is a deep link without server-side routing. */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  page: string;
  id: string | undefined;
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', qs = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = 'fleet', id] = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page, id, query: new URLSearchParams(qs) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (page: string, id?: string | number): string => `#/${page}${id === undefined ? '' : `/${encodeURIComponent(String(id))}`}`;
