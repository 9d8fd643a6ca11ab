// The `fields` filter of the playlist endpoints: `name,items(added_at,item(name,album(!images)))`, where
// `a.b` is short for `a(b)` and `!x` drops x. Unparsable filters are a 400, as on Spotify.

import { ApiError } from './errors';

interface FieldSpec {
  exclude: boolean;
  sub: Spec | undefined;
}
type Spec = Map<string, FieldSpec>;

export function parseFields(text: string): Spec {
  let pos = 0;
  const fail = (): never => {
    throw new ApiError(400, 'Invalid fields');
  };
  const parseList = (): Spec => {
    const spec: Spec = new Map();
    for (;;) {
      parseElem(spec);
      if (text[pos] !== ',') return spec;
      pos++;
    }
  };
  const parseElem = (into: Spec): void => {
    const exclude = text[pos] === '!';
    if (exclude) pos++;
    const m = /^[A-Za-z0-9_]+/.exec(text.slice(pos));
    if (!m) fail();
    const name = m![0];
    pos += name.length;
    let sub: Spec | undefined;
    if (text[pos] === '(') {
      pos++;
      sub = parseList();
      if (text[pos] !== ')') fail();
      pos++;
    } else if (text[pos] === '.') {
      pos++;
      sub = new Map();
      parseElem(sub);
    }
    const prev = into.get(name);
    if (prev?.sub && sub) for (const [k, v] of sub) prev.sub.set(k, v);
    else into.set(name, { exclude, sub: sub ?? prev?.sub });
  };
  const spec = parseList();
  if (pos !== text.length) fail();
  return spec;
}

export function applyFields(value: unknown, spec: Spec): unknown {
  if (Array.isArray(value)) return value.map((v) => applyFields(v, spec));
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  const includes = [...spec].filter(([, f]) => !f.exclude);
  const out: Record<string, unknown> = {};
  if (includes.length > 0) {
    for (const [name, f] of includes) if (name in obj) out[name] = f.sub ? applyFields(obj[name], f.sub) : obj[name];
    return out;
  }
  for (const [k, v] of Object.entries(obj)) {
    const f = spec.get(k);
    if (f?.exclude && !f.sub) continue;
    out[k] = f?.sub ? applyFields(v, f.sub) : v;
  }
  return out;
}

/** Applies `fields` when the request has one. */
export function withFields(value: unknown, fields: string | undefined): unknown {
  return fields ? applyFields(value, parseFields(fields)) : value;
}
