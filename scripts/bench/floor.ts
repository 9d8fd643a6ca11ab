// Requests against the floor (reads and writes need exactly ceil(N / Spotify's limit) requests) and paging
// speed (the pack's concurrent offset paging beside following `next` links one by one).
import type { NodeMessage } from 'node-red';
import type { SpotifyAccount } from '../../nodes/spotify/account';
import { OPERATIONS } from '../../nodes/spotify/operations';
import { collect, DEFAULT_PAGE_CONCURRENCY } from '../../nodes/spotify/paging';
import { drive, wired, type FlowNode, type RedEnv } from './red-env';
import type { RemoteSim } from './remote-sim';
import { int, median, ms, ratio, type Row } from './report';

export const LATENCY_MS = 50;
export const BIG_PLAYLIST = 5000;
export const SAVED_TRACKS = 5000;
const ADD_TRACKS = 1000;
const SAVE_URIS = 400;
const SEARCH_QUERY = 'a';
const SEARCH_DEPTH = 1000;

/** How each measured node is configured; a node is only in the flow when this build declares its type. */
export const FLOOR_NODES: Record<string, { id: string; props: Record<string, unknown> }> = {
  'spotify-playlist-tracks': { id: 'pt', props: { output: 'array' } },
  'spotify-saved-items': { id: 'si', props: { itemType: 'tracks', output: 'array' } },
  'spotify-search': {
    id: 'se',
    props: { types: 'track', query: 'payload', queryType: 'msg', limit: '1000', limitType: 'num', output: 'array' },
  },
  'spotify-add-tracks': { id: 'at', props: {} },
  'spotify-save-to-library': { id: 'sl', props: {} },
};

export function floorFlow(types: Set<string>): FlowNode[] {
  return Object.entries(FLOOR_NODES).flatMap(([type, n]) => (types.has(type) ? wired(n.id, type, n.props) : []));
}

export interface FloorContext {
  sim: RemoteSim;
  red: RedEnv;
  account: SpotifyAccount;
  types: Set<string>;
  bigPlaylistId: string;
  emptyPlaylistId: string;
}

interface Counted<T> {
  value: T;
  api: number;
  /** Of `api`, the GETs (for writes: reads made besides the writes). */
  gets: number;
  token: number;
}

async function counted<T>(sim: RemoteSim, run: () => Promise<T>): Promise<Counted<T>> {
  await sim.clearRequests();
  const value = await run();
  return {
    value,
    api: await sim.count({ kind: 'api' }),
    gets: await sim.count({ kind: 'api', method: 'GET' }),
    token: await sim.count({ path: '/api/token' }),
  };
}

/** One message in, its one answer out. */
async function viaNode(red: RedEnv, id: string, msg: NodeMessage): Promise<NodeMessage> {
  const { messages } = await drive(red, id, () => msg, { total: 1, inFlight: 1, timeoutMs: 60_000 });
  return messages[0];
}

function nodeLabel(type: string): string {
  return `node ${type} in Node-RED`;
}

function clientLabel(type: string): string {
  return `SpotifyClient directly (${type} not in this build)`;
}

function floorRow(
  what: string,
  via: string,
  n: number,
  limit: number,
  c: Counted<unknown>,
  expectN: (n: number) => boolean,
  extra = '',
): Row {
  const floor = Math.ceil(n / limit);
  const pass = expectN(n) && c.api === floor;
  return {
    area: 'Requests against the floor',
    what,
    via,
    result: `${int(c.api)} requests${mixed(c)} for ${int(n)} items (+${c.token} token request${c.token === 1 ? '' : 's'})${extra}`,
    bar: `= ceil(${int(n)} / ${limit}) = ${int(floor)}`,
    pass,
  };
}

/** "(10 writes + 1 read)" when a write also read something. */
function mixed(c: Counted<unknown>): string {
  const writes = c.api - c.gets;
  return writes > 0 && c.gets > 0
    ? ` (${int(writes)} write${writes === 1 ? '' : 's'} + ${int(c.gets)} read${c.gets === 1 ? '' : 's'})`
    : '';
}

function uriOf(entry: unknown): string | undefined {
  const e = entry as { item?: { uri?: string }; track?: { uri?: string } } | null;
  return e?.item?.uri ?? e?.track?.uri;
}

export async function measureFloor(ctx: FloorContext): Promise<Row[]> {
  const { sim, red, account, types } = ctx;
  const client = account.client;
  const rows: Row[] = [];
  await sim.setLatency(LATENCY_MS);

  // Playlist items.
  let entries: unknown[];
  {
    const type = 'spotify-playlist-tracks';
    const node = types.has(type);
    const c = await counted(sim, async () =>
      node
        ? ((await viaNode(red, FLOOR_NODES[type].id, { playlist: ctx.bigPlaylistId })).payload as unknown[])
        : collect(client.list<unknown>(OPERATIONS.playlistItems, { params: { playlist_id: ctx.bigPlaylistId } })),
    );
    entries = c.value;
    rows.push(
      floorRow(
        `read a playlist of ${int(BIG_PLAYLIST)} items`,
        node ? nodeLabel(type) : clientLabel(type),
        entries.length,
        50,
        c,
        (n) => n === BIG_PLAYLIST,
      ),
    );
  }
  const trackUris = entries.map(uriOf).filter((u): u is string => typeof u === 'string' && u.startsWith('spotify:track:'));

  // Saved tracks.
  {
    const type = 'spotify-saved-items';
    const node = types.has(type);
    const c = await counted(sim, async () =>
      node
        ? ((await viaNode(red, FLOOR_NODES[type].id, {})).payload as unknown[])
        : collect(client.list<unknown>(OPERATIONS.savedItems, { params: { type: 'tracks' } })),
    );
    rows.push(
      floorRow(
        `read ${int(SAVED_TRACKS)} saved tracks`,
        node ? nodeLabel(type) : clientLabel(type),
        c.value.length,
        50,
        c,
        (n) => n === SAVED_TRACKS,
      ),
    );
  }

  // Search, as deep as Spotify goes (offsets up to 1000, 10 per page).
  {
    const type = 'spotify-search';
    const node = types.has(type);
    const c = await counted(sim, async () =>
      node
        ? ((await viaNode(red, FLOOR_NODES[type].id, { payload: SEARCH_QUERY })).payload as { tracks: unknown[] }).tracks
        : collect(
            client.list<unknown>(
              OPERATIONS.search,
              { query: { q: SEARCH_QUERY, type: 'track' } },
              { pick: (b) => (b as { tracks: unknown }).tracks },
            ),
          ),
    );
    rows.push(
      floorRow(
        `search "${SEARCH_QUERY}" (tracks) to full depth`,
        node ? nodeLabel(type) : clientLabel(type),
        c.value.length,
        10,
        c,
        (n) => n >= SEARCH_DEPTH,
      ),
    );
  }

  // Add tracks to a playlist.
  {
    const type = 'spotify-add-tracks';
    const node = types.has(type);
    const uris = trackUris.slice(0, ADD_TRACKS);
    const before = await itemTotal(account, ctx.emptyPlaylistId);
    const c = await counted(sim, async () => {
      if (node) await viaNode(red, FLOOR_NODES[type].id, { playlist: ctx.emptyPlaylistId, payload: uris });
      else {
        await client.batched(OPERATIONS.addPlaylistItems, uris, (b) => ({
          params: { playlist_id: ctx.emptyPlaylistId },
          body: { uris: b },
        }));
      }
      return uris;
    });
    const added = (await itemTotal(account, ctx.emptyPlaylistId)) - before;
    rows.push(
      floorRow(
        `add ${int(ADD_TRACKS)} tracks to a playlist`,
        node ? nodeLabel(type) : clientLabel(type),
        added,
        100,
        c,
        (n) => n === ADD_TRACKS && uris.length === ADD_TRACKS,
        `; the playlist grew by ${int(added)}`,
      ),
    );
  }

  // Save to the library.
  {
    const type = 'spotify-save-to-library';
    const node = types.has(type);
    const uris = trackUris.slice(ADD_TRACKS, ADD_TRACKS + SAVE_URIS);
    const c = await counted(sim, async () => {
      if (node) await viaNode(red, FLOOR_NODES[type].id, { payload: uris });
      else await client.batched(OPERATIONS.saveToLibrary, uris, (b) => ({ query: { uris: b.join(',') } }));
      return uris;
    });
    const saved = new Set((await sim.state(false)).library.tracks.map((t) => t.uri));
    const present = uris.filter((u) => saved.has(u)).length;
    rows.push(
      floorRow(
        `save ${int(SAVE_URIS)} URIs to the library`,
        node ? nodeLabel(type) : clientLabel(type),
        present,
        40,
        c,
        (n) => n === SAVE_URIS && uris.length === SAVE_URIS,
        `; ${int(present)} now in the library`,
      ),
    );
  }
  return rows;
}

async function itemTotal(account: SpotifyAccount, playlistId: string): Promise<number> {
  const body = await account.client.call<{ items?: { total?: number }; tracks?: { total?: number } }>(OPERATIONS.playlist, {
    params: { playlist_id: playlistId },
  });
  return body.items?.total ?? body.tracks?.total ?? 0;
}

/**
 * All pages of the 5,000-item playlist: the pack (default concurrency) beside the usual way, one `next` link
 * after another, through the same HTTP client (same got, same keep-alive agent, same token handling).
 */
export async function measurePaging(ctx: FloorContext): Promise<Row[]> {
  const { sim, red, account, types } = ctx;
  await sim.setLatency(LATENCY_MS);
  const pages = Math.ceil(BIG_PLAYLIST / 50);
  const concurrency = DEFAULT_PAGE_CONCURRENCY;
  const floorTrips = Math.ceil((pages - 1) / concurrency) + 1;
  const nodeType = 'spotify-playlist-tracks';
  const withNode = types.has(nodeType);

  const timed = async (run: () => Promise<number>): Promise<{ ms: number; items: number; requests: number }> => {
    await sim.clearRequests();
    const t0 = process.hrtime.bigint();
    const items = await run();
    const t = Number(process.hrtime.bigint() - t0) / 1e6;
    return { ms: t, items, requests: await sim.count({ kind: 'api' }) };
  };
  const pack = () =>
    timed(
      async () =>
        (await collect(account.client.list<unknown>(OPERATIONS.playlistItems, { params: { playlist_id: ctx.bigPlaylistId } }))).length,
    );
  const node = () => timed(async () => ((await viaNode(red, 'pt', { playlist: ctx.bigPlaylistId })).payload as unknown[]).length);
  const sequential = () =>
    timed(async () => {
      // What other integrations do: ask for the first page, then follow `next` until there is none.
      type Page = { items: unknown[]; next: string | null };
      const items: unknown[] = [];
      let page = (
        await account.client.http.request<Page>({ method: 'GET', path: `/playlists/${ctx.bigPlaylistId}/items`, query: { limit: 50 } })
      ).body;
      items.push(...page.items);
      while (page.next) {
        page = (await account.client.http.request<Page>({ method: 'GET', path: page.next })).body;
        items.push(...page.items);
      }
      return items.length;
    });

  // Warm both paths (sockets, JIT), then interleave so that a noisy moment hits both sides alike.
  await pack();
  if (withNode) await node();
  const runs: Record<'pack' | 'node' | 'seq', { ms: number; items: number; requests: number }[]> = { pack: [], node: [], seq: [] };
  for (let round = 0; round < 3; round++) {
    if (round < 2) runs.seq.push(await sequential());
    runs.pack.push(await pack());
    if (withNode) runs.node.push(await node());
  }
  const seqMs = median(runs.seq.map((r) => r.ms));
  // The round trip measured in this run: the sequential reader makes exactly one per page.
  const rtt = seqMs / pages;
  const floorMs = floorTrips * rtt;
  const okItems = (rs: { items: number }[]) => rs.every((r) => r.items === BIG_PLAYLIST);
  const rows: Row[] = [];
  const add = (label: string, via: string, rs: { ms: number; items: number; requests: number }[]): void => {
    const t = median(rs.map((r) => r.ms));
    const speedup = seqMs / t;
    const vsFloor = t / floorMs;
    rows.push({
      area: 'Paging speed',
      what: `all ${pages} pages of a ${int(BIG_PLAYLIST)}-item playlist at ${LATENCY_MS} ms latency (${label})`,
      via,
      result: `${ms(t)} (median of ${rs.length}) vs ${ms(seqMs)} following next links one by one (median of ${runs.seq.length}): ${ratio(speedup)} faster; ${ratio(vsFloor)} the floor of ${floorTrips} round trips = ${ms(floorMs)}; ${rs[0].requests} requests each`,
      bar: `≥ 3× faster than sequential, ≤ 1.5× the floor (ceil(${pages - 1}/${concurrency})+1 round trips of ${rtt.toFixed(1)} ms, the round trip the sequential reads took in this run)`,
      pass: speedup >= 3 && vsFloor <= 1.5 && okItems(rs) && okItems(runs.seq),
    });
  };
  if (withNode) add(`through the node, concurrency ${concurrency}`, nodeLabel(nodeType), runs.node);
  add(`SpotifyClient.list, concurrency ${concurrency}`, 'SpotifyClient directly (the paging alone)', runs.pack);
  return rows;
}
