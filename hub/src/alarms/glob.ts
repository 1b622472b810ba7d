/**
 * Globs of rule matches, compiled once to anchored regular expressions: `*` matches any
 * run of characters except `/`, `**` any run including `/`, `?` one character except `/`,
 * `{a,b}` either alternative.
 * Device ids are hierarchical (`ctrl-1/p0/c3`), so `*` stops at a level.
 */
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const hit = cache.get(glob);
  if (hit !== undefined) return hit;
  let src = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      src += '.*';
      i++;
    } else if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else if (c === '{') {
      src += '(?:';
      depth++;
    } else if (c === '}' && depth > 0) {
      src += ')';
      depth--;
    } else if (c === ',' && depth > 0) src += '|';
    else src += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const re = new RegExp(`^${src}${')'.repeat(depth)}$`);
  if (cache.size < 1000) cache.set(glob, re);
  return re;
}

export function globMatches(glob: string | undefined, value: string): boolean {
  return glob === undefined || globToRegExp(glob).test(value);
}
