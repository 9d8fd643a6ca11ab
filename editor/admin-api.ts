// The editor's one way to the pack's admin routes (tunewire/…, relative to the editor, so it works behind a path
// prefix too; Node-RED's jQuery adds the adminAuth bearer token to every AJAX call). The editor never talks to
// Spotify: the runtime does, for the account the request names.
import type { RouteWords } from '../nodes/node-red/route-words';

/** A route that answered with an error status (or not at all). */
export class AdminError extends Error {
  constructor(
    /** The answer's JSON body, when it had one. */
    readonly body: unknown,
    /** The route's own message ({ error: '…' }), when it sent one: it says what went wrong in the user's terms. */
    readonly error: string | undefined,
    /** The HTTP status text ("Forbidden"), or '' when there was no answer. */
    readonly statusText: string,
  ) {
    super(error ?? statusText);
  }

  /** The route's message by its catalog key, when it sent one (say it with routeText, in the editor's language). */
  get words(): RouteWords | undefined {
    return wordsOf(this.body);
  }
}

/** An answer's `words` ({ key, vars }), checked: an answer is data from outside, not to be trusted blindly. */
export function wordsOf(body: unknown): RouteWords | undefined {
  const words = body && typeof body === 'object' ? (body as { words?: unknown }).words : undefined;
  if (!words || typeof words !== 'object') return undefined;
  const { key, vars } = words as { key?: unknown; vars?: unknown };
  if (typeof key !== 'string' || !/^[A-Za-z.]{1,80}$/.test(key)) return undefined;
  const values: Record<string, string | number> = {};
  if (vars && typeof vars === 'object') {
    for (const [k, v] of Object.entries(vars as Record<string, unknown>)) if (typeof v === 'string' || typeof v === 'number') values[k] = v;
  }
  return { key, vars: values };
}

function errorOf(body: unknown): string | undefined {
  const error = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  return typeof error === 'string' && error ? error : undefined;
}

/** POSTs JSON to an admin route and resolves with its JSON answer; rejects with an AdminError. */
export function postJson<T>(route: string, body: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    $.ajax({ url: route, type: 'POST', contentType: 'application/json', data: JSON.stringify(body), dataType: 'json' }).then(
      (answer: T) => resolve(answer),
      (xhr: JQuery.jqXHR | undefined) => {
        const json: unknown = xhr?.responseJSON;
        reject(new AdminError(json, errorOf(json), xhr?.statusText ?? ''));
      },
    );
  });
}
