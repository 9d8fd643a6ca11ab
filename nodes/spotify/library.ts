// The 2026 library endpoints: PUT/DELETE /me/library?uris=… and GET /me/library/contains?uris=…, which
// replaced every type-specific save/remove/contains/follow call. One list of URIs of mixed types, cut into
// Spotify's batches of 40 and sent in order. Knows nothing about Node-RED.
import { chunk } from './batching';
import { InputError } from './errors';
import { expectText } from './words';
import type { RequestCounter } from './http-client';
import { parseRefs, type SpotifyRef, type SpotifyType } from './ids';
import { OPERATIONS, type Operation } from './operations';
import type { ScopeRequirement } from './scopes';
import type { SpotifyClient } from './spotify-client';
import { writableRefs, type UnwritableMode, type WritableRefs } from './writable';
import { say } from './words';

/** What PUT/DELETE /me/library take (Spotify's documented list; artists are not among them). A bare ID is a track. */
export const LIBRARY_WRITE_TYPES = [
  'track',
  'album',
  'episode',
  'show',
  'audiobook',
  'user',
  'playlist',
] as const satisfies readonly SpotifyType[];
/** What GET /me/library/contains takes: the same plus artists (is the artist followed?). */
export const LIBRARY_CHECK_TYPES = [...LIBRARY_WRITE_TYPES, 'artist'] as const satisfies readonly SpotifyType[];

/** More than anyone saves at once; bounds memory and requests for a runaway message. */
export const MAX_LIBRARY_URIS = 10_000;

export type LibraryChange = 'save' | 'remove';

export interface LibraryCheck {
  uri: string;
  saved: boolean;
}

/** URIs for a contains check from IDs, URIs, links or objects (see parseRefs), in order. Local files are refused
 *  with the field and index, before anything is sent. */
export function parseLibraryRefs(input: unknown, field: string): SpotifyRef[] {
  const refs = parseRefs(input, field, LIBRARY_CHECK_TYPES, { max: MAX_LIBRARY_URIS });
  const single = refs.length === 1 && !Array.isArray(input);
  refs.forEach((ref, i) => {
    if (ref.local)
      throw new InputError(
        single ? field : `${field}[${i}]`,
        expectText('because', { expected: expectText('spotifyUri'), why: expectText('library.local') }),
        ref.uri,
      );
  });
  return refs;
}

/**
 * URIs to save or remove, from what parseLibraryRefs takes and from what list nodes emit: entries that cannot
 * be in the library (local files, items Spotify no longer offers) skipped and counted, or refused. Artists are
 * refused either way: they are a mistake in the flow, not an entry to pass over.
 */
export function writableLibraryRefs(input: unknown, field: string, mode: UnwritableMode): WritableRefs {
  const options = { mode, localWhy: expectText('library.local'), expected: expectText('spotifyUri'), max: MAX_LIBRARY_URIS };
  let result: WritableRefs;
  try {
    result = writableRefs(input, field, LIBRARY_CHECK_TYPES, options);
  } catch (err) {
    // Parsed again only to word the error with the types a write accepts.
    writableRefs(input, field, LIBRARY_WRITE_TYPES, options);
    throw err;
  }
  refuseArtists(result.refs, field, result.given === 1 && !Array.isArray(input));
  return result;
}

function refuseArtists(refs: readonly SpotifyRef[], field: string, single: boolean): void {
  const i = refs.findIndex((ref) => ref.type === 'artist');
  if (i < 0) return;
  throw new InputError(single ? field : `${field}[${i}]`, expectText('library.noArtists'), refs[i].uri);
}

/** The scopes a write of these URIs needs: each kind of item has its own (Spotify checks them all). */
export function libraryWriteScopes(refs: readonly SpotifyRef[]): ScopeRequirement {
  const need: (string | readonly string[])[] = [];
  if (refs.some((r) => r.type !== 'user' && r.type !== 'playlist')) need.push('user-library-modify');
  if (refs.some((r) => r.type === 'user')) need.push('user-follow-modify');
  if (refs.some((r) => r.type === 'playlist')) need.push(['playlist-modify-public', 'playlist-modify-private']);
  return need;
}

/** The scopes a contains check of these URIs needs: library-read always, follow-read for artists and users. */
export function libraryCheckScopes(refs: readonly SpotifyRef[]): ScopeRequirement {
  return refs.some((r) => r.type === 'artist' || r.type === 'user') ? ['user-library-read', 'user-follow-read'] : ['user-library-read'];
}

/** The operation with the scopes these URIs need: checked before the first request, named in a 403. */
function withScopes(op: Operation, scopes: ScopeRequirement): Operation {
  return { ...op, scopes };
}

/** Whether the library must end up in the order given (Spotify lists it by when each item was saved). */
export const LIBRARY_ORDERS = ['kept', 'any'] as const;
export type LibraryOrder = (typeof LIBRARY_ORDERS)[number];

/**
 * Saves or removes the URIs (duplicates dropped), in batches of 40: one after another when the order is kept,
 * else up to `concurrency` at a time. A failing batch throws a BatchError listing the URIs applied, not applied
 * and uncertain. Returns the URIs sent.
 */
export async function changeLibrary(
  client: SpotifyClient,
  change: LibraryChange,
  refs: readonly SpotifyRef[],
  counter?: RequestCounter,
  opts: { order: LibraryOrder; concurrency: number } = { order: 'kept', concurrency: 1 },
): Promise<{ uris: string[]; batches: number }> {
  const uris = [...new Set(refs.map((r) => r.uri))];
  const op = withScopes(change === 'save' ? OPERATIONS.saveToLibrary : OPERATIONS.removeFromLibrary, libraryWriteScopes(refs));
  const answers = await client.batched<string, unknown>(
    op,
    uris,
    (batch) => ({ query: { uris: batch.join(',') } }),
    counter,
    'uris',
    opts.order === 'any' ? opts.concurrency : 1,
  );
  return { uris, batches: answers.length };
}

/** One answer per URI, in the order given (duplicates answered each time), in batches of 40. */
export async function checkLibrary(client: SpotifyClient, refs: readonly SpotifyRef[], counter?: RequestCounter): Promise<LibraryCheck[]> {
  const op = withScopes(OPERATIONS.libraryContains, libraryCheckScopes(refs));
  const out: LibraryCheck[] = [];
  // A read: nothing to report as applied, so plain calls rather than client.batched (no BatchError).
  for (const batch of chunk(refs, op.batchSize ?? 40)) {
    const answer = await client.call<unknown>(op, { query: { uris: batch.map((r) => r.uri).join(',') } }, counter);
    if (!Array.isArray(answer) || answer.length !== batch.length) {
      throw new Error(
        Array.isArray(answer) ? say('libraryCheck.count', { answers: answer.length, uris: batch.length }) : say('libraryCheck.notList'),
      );
    }
    batch.forEach((ref, i) => out.push({ uri: ref.uri, saved: answer[i] === true }));
  }
  return out;
}
