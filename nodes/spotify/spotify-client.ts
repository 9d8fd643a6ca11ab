// What the nodes call: one operation from the table, with its path, scopes, paging and batch limits applied.
import { runBatches, runBatchesAhead, type BatchItems } from './batching';
import type { ApiRequest, QueryValue, RequestCounter, SpotifyHttpClient } from './http-client';
import { fillPath, type Operation } from './operations';
import { cursorPages, DEFAULT_MAX_PAGES, itemsOf, offsetPages, type CursorPage, type OffsetPage } from './paging';

export interface CallInput {
  params?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  rawBody?: ApiRequest['rawBody'];
  signal?: AbortSignal;
}

export interface ListOptions {
  maxItems?: number;
  concurrency?: number;
  offset?: number;
  /** Picks the paging object out of an answer that wraps it (search: `{tracks: {...}}`). */
  pick?: (body: unknown) => unknown;
}

/** The items of a listing, in order; `total` is Spotify's count once the first page has arrived. */
export interface Listing<T> extends AsyncIterable<T> {
  readonly total: number | undefined;
}

export class SpotifyClient {
  /** `maxPages`: the most pages one listing may take (the runtime setting of the same name). */
  constructor(
    readonly http: SpotifyHttpClient,
    readonly maxPages: number = DEFAULT_MAX_PAGES,
  ) {}

  async call<T = unknown>(op: Operation, input: CallInput = {}, counter?: RequestCounter): Promise<T> {
    const res = await this.http.request<T>(this.requestFor(op, input), counter);
    return res.body;
  }

  /** Every page of a listing, in order, as Spotify sends them. */
  pages<T>(
    op: Operation,
    input: CallInput = {},
    opts: ListOptions = {},
    counter?: RequestCounter,
  ): AsyncGenerator<OffsetPage<T> | CursorPage<T>> {
    const paging = op.paging;
    if (!paging) throw new Error(`${op.method} ${op.path} is not a listing`);
    const pick = opts.pick ?? ((b: unknown) => b);
    if (paging.kind === 'offset') {
      return offsetPages<T>(
        async (offset, limit) => {
          const body = await this.call(op, { ...input, query: { ...input.query, offset, limit } }, counter);
          return pick(body) as OffsetPage<T>;
        },
        {
          pageLimit: paging.limit,
          maxOffset: paging.maxOffset,
          maxItems: opts.maxItems,
          concurrency: opts.concurrency,
          offset: opts.offset,
          maxPages: this.maxPages,
        },
      );
    }
    return cursorPages<T>(
      async (next) => {
        // A `next` link goes through the same request path as any other: the http client keeps it on the API base.
        const body = next
          ? await this.http.request({ method: op.method, path: next, scopes: op.scopes, signal: input.signal }, counter).then((r) => r.body)
          : await this.call(op, { ...input, query: { limit: paging.limit, ...input.query } }, counter);
        return pick(body) as CursorPage<T>;
      },
      { maxItems: opts.maxItems, maxPages: this.maxPages },
    );
  }

  /** The items of a listing, in order, at most `maxItems`, without Spotify's null placeholders. */
  list<T>(op: Operation, input: CallInput = {}, opts: ListOptions = {}, counter?: RequestCounter): Listing<T> {
    const pages = this.pages<T>(op, input, opts, counter);
    const listing = {
      total: undefined as number | undefined,
      [Symbol.asyncIterator]: () =>
        itemsOf<T>(
          (async function* () {
            for await (const page of pages) {
              listing.total ??= page.total;
              yield page;
            }
          })(),
          opts.maxItems,
        ),
    };
    return listing;
  }

  /** A write of any size, in batches of the operation's limit, in order. */
  async batched<T, R>(
    op: Operation,
    items: readonly T[],
    toInput: (batch: T[], startIndex: number) => CallInput,
    counter?: RequestCounter,
    what?: BatchItems,
    /** Batches in flight at once; above 1 only where the order they are applied in does not matter. */
    concurrency = 1,
  ): Promise<R[]> {
    const size = Math.max(1, op.batchSize ?? items.length);
    const apply = (batch: T[], start: number) => this.call<R>(op, toInput(batch, start), counter);
    return concurrency > 1 ? runBatchesAhead(items, size, concurrency, apply, what) : runBatches(items, size, apply, what);
  }

  private requestFor(op: Operation, input: CallInput): ApiRequest {
    return {
      method: op.method,
      path: fillPath(op.path, input.params),
      query: input.query,
      body: input.body,
      rawBody: input.rawBody,
      idempotent: op.idempotent,
      scopes: op.scopes,
      forbiddenHint: op.forbiddenHint,
      signal: input.signal,
    };
  }
}
