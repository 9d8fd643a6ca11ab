// Where Spotify and its OpenAPI description (spotify-openapi/) disagree, each with the reason we side with
// what Spotify sends. These are the only deviations the suite tolerates: anything not listed here fails the
// test that caused it (test/support/root-hooks.ts). A quirk either patches the spec's document before it is
// compiled (the spec is wrong about a schema), or tolerates violations it names precisely.

import type { Json, JsonObject } from './spec';
import type { Exchange, Violation } from './validator';

export interface Quirk {
  id: string;
  /** Why Spotify is right and the spec is not (or why the spec cannot say it). */
  reason: string;
  patch?: (document: JsonObject) => void;
  tolerates?: (v: Violation, x: Exchange) => boolean;
}

/** Fields Spotify stopped sending to development-mode apps in 2026 (docs: "removed fields, treat as absent"). */
const REMOVED_FIELDS = new Set([
  'available_markets',
  'popularity',
  'linked_from',
  'label',
  'album_group',
  'followers',
  'publisher',
  'country',
  'email',
  'product',
  'explicit_content',
]);

function schemas(document: JsonObject): Record<string, JsonObject> {
  return (document.components as JsonObject).schemas as Record<string, JsonObject>;
}

/** The property schema at schemas[name].properties[prop], looking into an allOf's parts. */
function property(document: JsonObject, name: string, prop: string): { holder: JsonObject; key: string } {
  const schema = schemas(document)[name];
  const parts = [schema, ...((schema.allOf as JsonObject[] | undefined) ?? [])];
  for (const part of parts) {
    const props = part.properties as JsonObject | undefined;
    if (props && prop in props) return { holder: props, key: prop };
  }
  throw new Error(`quirks: the spec has no ${name}.${prop} (a new spec release? check the quirk)`);
}

/** Lets the property be null as well (ajv's `nullable` needs a `type` beside it; an allOf wrapper has none). */
function allowNull(document: JsonObject, name: string, prop: string): void {
  const { holder, key } = property(document, name, prop);
  holder[key] = { anyOf: [{ type: 'null' }, holder[key]] };
}

/** Adds a schema to a property's oneOf (or to the oneOf of its array's items); before allowNull wraps it. */
function addAlternative(document: JsonObject, name: string, prop: string, ref: string): void {
  const { holder, key } = property(document, name, prop);
  const target = holder[key] as JsonObject;
  const oneOf = ((target.items as JsonObject | undefined) ?? target).oneOf as Json[];
  oneOf.push({ $ref: ref });
}

const bodyAt = (v: Violation, operation: string, at: RegExp): boolean =>
  v.rule === 'response-body' && v.operation === operation && at.test(v.at);

/** Whether the answer's `items`/`tracks` is exactly the withheld form {href, total}. */
function withheld(x: Exchange, key: string): boolean {
  try {
    const page = (JSON.parse(String(x.responseBody)) as JsonObject)[key];
    return !!page && typeof page === 'object' && Object.keys(page).sort().join() === 'href,total';
  } catch {
    return false;
  }
}

/** The playlist entry's item a body violation lies in (…/items/3/item/album/href → the 4th entry's item). */
function entryItem(v: Violation, x: Exchange): JsonObject | undefined {
  const m = /^(\/(?:items|tracks)\/items|\/items)\/(\d+)\/(item|track)(\/|$)/.exec(v.at);
  if (v.rule !== 'response-body' || !m || x.responseBody === undefined) return undefined;
  let body: Json;
  try {
    body = JSON.parse(x.responseBody.toString()) as Json;
  } catch {
    return undefined;
  }
  const tokens = [...m[1].split('/').filter(Boolean), m[2], m[3]];
  const found = tokens.reduce<Json | undefined>(
    (node, key) => (node && typeof node === 'object' ? (node as JsonObject)[key] : undefined),
    body,
  );
  return found && typeof found === 'object' && !Array.isArray(found) ? found : undefined;
}

export const QUIRKS: readonly Quirk[] = [
  {
    id: 'removed-fields-still-required',
    reason:
      'Spotify stopped sending available_markets, popularity, album_group, label, followers, … to development-mode apps in 2026; the spec still lists some of them as required (e.g. SimplifiedAlbumObject.available_markets).',
    patch(document) {
      const visit = (node: Json): void => {
        if (Array.isArray(node)) node.forEach(visit);
        else if (node && typeof node === 'object') {
          if (Array.isArray(node.required)) node.required = node.required.filter((f) => typeof f !== 'string' || !REMOVED_FIELDS.has(f));
          Object.values(node).forEach(visit);
        }
      };
      visit(schemas(document));
    },
  },
  {
    id: 'nullable-cursors',
    reason:
      'Cursor pages end with next: null and, on /me/following, cursors.after: null; an empty recently-played page has cursors: null (observed). The spec types them as plain strings/objects although its own text says "null if none".',
    patch(document) {
      for (const prop of ['after', 'before']) (property(document, 'CursorObject', prop).holder[prop] as JsonObject).nullable = true;
      (property(document, 'CursorPagingObject', 'next').holder.next as JsonObject).nullable = true;
      allowNull(document, 'CursorPagingObject', 'cursors');
    },
  },
  {
    id: 'chapter-type',
    reason:
      "Chapters are type chapter (their URIs are spotify:chapter:…), but the spec's ChapterBase copies the episode's `type: enum [episode]`; and the player plays chapters, while the spec's player and queue items list only TrackObject | EpisodeObject.",
    patch(document) {
      (property(document, 'ChapterBase', 'type').holder.type as JsonObject).enum = ['chapter'];
      const chapter = '#/components/schemas/ChapterObject';
      addAlternative(document, 'CurrentlyPlayingContextObject', 'item', chapter);
      addAlternative(document, 'CurrentlyPlayingObject', 'item', chapter);
      addAlternative(document, 'QueueObject', 'currently_playing', chapter);
      addAlternative(document, 'QueueObject', 'queue', chapter);
    },
  },
  {
    id: 'nullable-contexts-and-items',
    reason:
      'A play outside a playlist/album has context: null, and the queue of an idle player currently_playing: null; the spec says "Can be null" in the descriptions but does not mark them nullable.',
    patch(document) {
      allowNull(document, 'PlayHistoryObject', 'context');
      allowNull(document, 'CurrentlyPlayingContextObject', 'context');
      allowNull(document, 'CurrentlyPlayingObject', 'context');
      allowNull(document, 'CurrentlyPlayingContextObject', 'item');
      allowNull(document, 'CurrentlyPlayingObject', 'item');
      allowNull(document, 'QueueObject', 'currently_playing');
    },
  },
  {
    id: 'library-error-shape',
    reason:
      'PUT/DELETE /me/library declare their 400 body as a bare ErrorObject; Spotify wraps every Web API error as {"error": {status, message}} like the spec\'s own 401/403/429.',
    patch(document) {
      const library = (document.paths as JsonObject)['/me/library'] as Record<string, JsonObject>;
      for (const method of ['put', 'delete']) {
        const answer = (library[method].responses as JsonObject)['400'] as JsonObject;
        answer.content = {
          'application/json': { schema: { $ref: '#/components/responses/Unauthorized/content/application~1json/schema' } },
        };
      }
    },
  },
  {
    id: 'undeclared-error-statuses',
    reason:
      "Most operations declare only 401/403/429, but Spotify answers 400 (bad limit, bad id), 404 (unknown id, NO_ACTIVE_DEVICE), 413 and 5xx too, as its guide to response status codes says; the body is still held to Spotify's error object.",
    tolerates: (v) => v.rule === 'undeclared-status' && v.status >= 400,
  },
  {
    id: 'fields-not-modelled',
    reason:
      'The `fields` filter of playlist reads leaves out whatever it does not name; a schema cannot say which required properties a given filter keeps, so a filtered body is not checked.',
    tolerates: (v, x) =>
      v.rule === 'response-body' && x.query.fields !== undefined && v.operation.startsWith('GET /playlists/{playlist_id}'),
  },
  {
    id: 'local-files',
    reason:
      "A local file in a playlist comes with null ids, hrefs, album type and release date (Spotify's guide to local files: they have no Spotify catalogue entry); the spec's TrackObject has no nullable fields for them.",
    tolerates: (v, x) => v.operation.startsWith('GET /playlists/{playlist_id}') && entryItem(v, x)?.is_local === true,
  },
  {
    id: 'episodes-as-tracks',
    reason:
      'Without additional_types=episode a playlist sends its episodes in the old track-like form (episode: true, type episode, the show as album); the spec only knows TrackObject | EpisodeObject. The pack always asks for episodes.',
    tolerates: (v, x) =>
      !/(^|,)episode(,|$)/.test(x.query.additional_types ?? '') &&
      v.operation.startsWith('GET /playlists/{playlist_id}') &&
      entryItem(v, x)?.episode === true,
  },
  {
    id: 'currently-playing-204',
    reason:
      "GET /me/player/currently-playing answers 204 when nothing plays, as GET /me/player does (Spotify's reference says so); the spec declares 204 only on the latter.",
    tolerates: (v) => v.rule === 'undeclared-status' && v.status === 204 && v.operation === 'GET /me/player/currently-playing',
  },
  {
    id: 'null-playlist-entries',
    reason: "GET /me/playlists lists a playlist that is no longer available as null (observed; Spotify's docs: entries can be null).",
    tolerates: (v) => bodyAt(v, 'GET /me/playlists', /^\/items\/\d+$/) && v.message.startsWith('must be object'),
  },
  {
    id: 'entries-withheld',
    reason:
      "Since 2026 GET /playlists/{id} sends a playlist's entries only to its owner and collaborators; others get items/tracks as {href, total}, which the spec's PagingObject does not allow.",
    tolerates: (v, x) =>
      bodyAt(v, 'GET /playlists/{playlist_id}', /^\/(items|tracks)$/) &&
      v.message.startsWith('must have required property') &&
      withheld(x, v.at.slice(1)),
  },
];
