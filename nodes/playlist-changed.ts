// playlist changed: a trigger that watches playlists by snapshot_id (one page of the user's playlist list per
// poll, or one small request per playlist when that is cheaper)
// and, only when one moved, reads its items and emits what was added and removed. The last snapshot and the
// item uris of each playlist are kept on disk.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { defaultIntervalSeconds, registerTrigger } from './node-red/fields';
import { nodeTexts, runtimeText } from './node-red/messages';
import { runTriggerNode, type TriggerDef } from './node-red/trigger-node';
import { evaluate, typedValue } from './node-red/typed-input';
import { parseRefs } from './spotify/ids';
import { watchPlaylists, type SeenPlaylist } from './spotify/playlist-watch';

/** This node's own texts, in its catalog (playlist-changed.json). */
const ownText = nodeTexts('spotify-playlist-changed');

interface PlaylistChangedDef extends TriggerDef {
  playlists?: string;
  playlistsType?: string;
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
        if (ids.length === 0) return { text: ownText('status.noPlaylistsToWatch') };

        // Playlists no longer watched are dropped from the state with the next save.
        const seen: Record<string, SeenPlaylist> = {};
        for (const id of ids) if (ctx.state?.playlists[id]) seen[id] = ctx.state.playlists[id];
        let changed = 0;
        let failed = 0;
        let last = '';
        const steps = watchPlaylists(ctx.account.client, ids, seen, refusedAt, {
          counter: ctx.counter,
          signal: ctx.signal,
          concurrency: ctx.settings.pageConcurrency,
        });
        for await (const step of steps) {
          if (step.kind === 'refused') {
            failed++;
            if (step.error) ctx.report(step.error, `playlist:${step.id}`);
            continue;
          }
          const { id, snapshot: snap, before, diff, entries } = step;
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
            last = ownText('status.playlistDiff', { name: snap.name ?? id, added: diff.added.length, removed: diff.removed.length });
          }
          seen[id] = step.seen;
          await ctx.save({ playlists: { ...seen } });
        }
        const problem = failed > 0;
        const summary =
          changed === 0 ? runtimeText('summary.noChange') : changed > 1 ? ownText('status.changedMany', { count: changed, last }) : last;
        return { text: problem ? ownText('status.withFailed', { summary, failed }) : summary, problem };
      },
      { stateName: 'playlist-changed', defaultIntervalSeconds: defaultIntervalSeconds('spotify-playlist-changed') },
    );
  }
  registerTrigger(RED, 'spotify-playlist-changed', PlaylistChangedNode as (this: Node, def: NodeDef) => void);
};
