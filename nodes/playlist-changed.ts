// playlist changed: a trigger that watches playlists by snapshot_id (one page of the user's playlist list per
// poll, or one small request per playlist when that is cheaper)
// and, only when one moved, reads its items and emits what was added and removed. The last snapshot and the
// item uris of each playlist are kept on disk.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { defaultIntervalSeconds, registerTrigger } from './node-red/fields';
import { runtimeText } from './node-red/messages';
import { runTriggerNode, type TriggerDef } from './node-red/trigger-node';
import { evaluate, typedValue } from './node-red/typed-input';
import { parseRefs } from './spotify/ids';
import { concernsOnePlaylist, diffPlaylist, entryUri, readEntries, readSnapshot, readSnapshotsIfCheaper } from './spotify/list-watch';

interface PlaylistChangedDef extends TriggerDef {
  playlists?: string;
  playlistsType?: string;
}

interface SeenPlaylist {
  snapshot_id: string;
  uris: string[];
}

interface PlaylistChangedState {
  playlists: Record<string, SeenPlaylist>;
}

export = function register(RED: NodeAPI): void {
  function PlaylistChangedNode(this: Node, def: PlaylistChangedDef): void {
    RED.nodes.createNode(this, def);
    const playlistsProp = typedValue(def.playlists, def.playlistsType, { value: '', type: 'str' });
    // Playlists whose items Spotify refused at this snapshot: not asked again until the snapshot moves.
    const refusedAt = new Map<string, string>();
    runTriggerNode<PlaylistChangedState>(
      RED,
      this,
      def,
      async (ctx) => {
        // Read at every poll, so a flow or global variable can change the watched list while the node runs.
        const refs = parseRefs(await evaluate(RED, this, ctx.request ?? {}, playlistsProp), 'playlists', ['playlist'], {
          allowEmpty: true,
        });
        const ids = [...new Set(refs.map((r) => r.id))];
        if (ids.length === 0) return { text: runtimeText('summary.noPlaylistsToWatch') };

        // Playlists no longer watched are dropped from the state with the next save.
        const seen: Record<string, SeenPlaylist> = {};
        for (const id of ids) if (ctx.state?.playlists[id]) seen[id] = ctx.state.playlists[id];
        let changed = 0;
        let failed = 0;
        let last = '';
        const bulk = await readSnapshotsIfCheaper(ctx.account.client, ids, ctx.counter, {
          signal: ctx.signal,
          concurrency: ctx.settings.pageConcurrency,
        });
        for (const id of ids) {
          if (ctx.signal.aborted) break;
          let snapshot: string | undefined;
          try {
            const snap = bulk.get(id) ?? (await readSnapshot(ctx.account.client, id, ctx.counter, ctx.signal));
            snapshot = snap.snapshot_id;
            const before = seen[id];
            if (before && before.snapshot_id === snap.snapshot_id) continue;
            if (refusedAt.get(id) === snap.snapshot_id) {
              failed++;
              continue;
            }
            const entries = await readEntries(ctx.account.client, id, ctx.counter, {
              signal: ctx.signal,
              concurrency: ctx.settings.pageConcurrency,
            });
            const uris = entries.map(entryUri).filter((u): u is string => u !== undefined);
            const diff = before ? diffPlaylist(before.uris, entries) : { added: entries, removed: [] };
            const emit = before ? diff.added.length > 0 || diff.removed.length > 0 : ctx.firstRun === 'emit';
            if (emit) {
              ctx.send([
                {
                  topic: `spotify:playlist:${id}`,
                  payload: {
                    playlist: { id, uri: `spotify:playlist:${id}`, name: snap.name },
                    snapshot_id: snap.snapshot_id,
                    previous_snapshot_id: before?.snapshot_id ?? null,
                    added: diff.added,
                    removed: diff.removed,
                    total: entries.length,
                  },
                  spotify: { requests: ctx.counter.requests, ...(before ? {} : { firstRun: true }) },
                },
              ]);
              changed++;
              last = runtimeText('summary.playlistDiff', { name: snap.name ?? id, added: diff.added.length, removed: diff.removed.length });
            }
            // The snapshot read before the items: if the playlist moved in between, the next poll reads it again.
            seen[id] = { snapshot_id: snap.snapshot_id, uris };
            refusedAt.delete(id);
            await ctx.save({ playlists: { ...seen } });
          } catch (err) {
            if (!concernsOnePlaylist(err)) throw err;
            if (snapshot !== undefined) refusedAt.set(id, snapshot);
            failed++;
            ctx.report(err as Error, `playlist:${id}`);
          }
        }
        const problem = failed > 0;
        const summary =
          changed === 0
            ? runtimeText('summary.noChange')
            : changed > 1
              ? runtimeText('summary.changedMany', { count: changed, last })
              : last;
        return { text: problem ? runtimeText('summary.withFailed', { summary, failed }) : summary, problem };
      },
      { stateName: 'playlist-changed', defaultIntervalSeconds: defaultIntervalSeconds('spotify-playlist-changed') },
    );
  }
  registerTrigger(RED, 'spotify-playlist-changed', PlaylistChangedNode as (this: Node, def: NodeDef) => void);
};
