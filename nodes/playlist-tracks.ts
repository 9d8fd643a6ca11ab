// playlist tracks: the entries of a playlist (tracks and episodes, with added_at and added_by), every page,
// at most N, or one message per entry.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { sendList, shapeItems } from './node-red/list-output';
import { ListFields, type ListFieldsDef } from './node-red/list-fields';
import { runtimeText } from './node-red/messages';
import { PlaylistTarget, type PlaylistTargetDef } from './node-red/playlist-target';
import { evaluate } from './node-red/typed-input';
import { OPERATIONS } from './spotify/operations';
import { playlistEntryFields, withItem } from './spotify/playlist-entries';
import type { Listing } from './spotify/spotify-client';
import { WITH_EPISODES } from './spotify/item-types';

interface PlaylistTracksDef extends NodeDef, PlaylistTargetDef, ListFieldsDef {
  account: string;
  market?: string;
  marketType?: string;
  /** What each entry keeps, in Spotify's `fields` syntax (empty: the pack's choice). */
  fields?: string;
  fieldsType?: string;
}

export = function register(RED: NodeAPI): void {
  function PlaylistTracksNode(this: Node, def: PlaylistTracksDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-playlist-tracks', def);
    const playlistIn = new PlaylistTarget(RED, this, def, { write: false });
    const list = new ListFields(RED, this, dialog, def);
    const marketProp = dialog.typed('market');
    const fieldsProp = dialog.typed('fields');
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const format = list.format();
      const target = await playlistIn.read(msg);
      const { maxItems, offset } = await list.range(msg);
      const market = dialog.market('market', await evaluate(RED, this, msg, marketProp));
      const fields = playlistEntryFields(dialog.entryFields('fields', await evaluate(RED, this, msg, fieldsProp)));
      return playlistIn.run(target, ctx, async (playlist) => {
        const entries = ctx.account.client.list<unknown>(
          OPERATIONS.playlistItems,
          { params: { playlist_id: playlist.id }, query: { market, fields, ...WITH_EPISODES } },
          { maxItems, offset, concurrency: ctx.settings.pageConcurrency },
          ctx.counter,
        );
        const facts = () => ({ playlist_id: playlist.id, total: entries.total, requests: ctx.counter.requests });
        const { count } = await sendList(RED, msg, send, shapeItems(mapped(entries, withItem), format), list.mode, facts);
        return runtimeText('summary.items', { count });
      });
    });
  }
  registerWithFields(RED, 'spotify-playlist-tracks', PlaylistTracksNode);
};

async function* mapped<T>(items: Listing<T>, fn: (item: T) => T): AsyncGenerator<T> {
  for await (const item of items) yield fn(item);
}
