// save to library and remove from library are the same node with another HTTP method: any number of URIs of
// mixed types from one typed input, written in Spotify's batches of 40, in order unless the user lets them go
// several at a time.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { changeLibrary, writableLibraryRefs, type LibraryChange, type LibraryOrder } from '../spotify/library';
import type { UnwritableMode } from '../spotify/writable';
import { runActionNode } from './action-node';
import { NodeFieldReader, registerWithFields } from './fields';
import { fieldLabelText } from './field-labels';
import { runtimeText } from './messages';
import { withSkipped } from './skipped-text';
import { evaluate, typedValue } from './typed-input';

export interface LibraryWriteDef extends NodeDef {
  account: string;
  items?: string;
  itemsType?: string;
  order?: string;
  /** Local files and unavailable items: 'skip' (counted) or 'refuse' the message. */
  unwritable?: string;
}

export function registerLibraryWriteNode(
  RED: NodeAPI,
  type: 'spotify-save-to-library' | 'spotify-remove-from-library',
  change: LibraryChange,
): void {
  const { done, summaryKey } =
    change === 'save' ? { done: 'saved', summaryKey: 'summary.saved' } : { done: 'removed', summaryKey: 'summary.removed' };
  function LibraryWriteNode(this: Node, def: LibraryWriteDef): void {
    RED.nodes.createNode(this, def);
    const itemsProp = typedValue(def.items, def.itemsType, { value: 'payload', type: 'msg' });
    const dialog = new NodeFieldReader(type, def);
    const label = fieldLabelText(type, 'label.items');
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const order = dialog.choice<LibraryOrder>('order', def.order);
      const mode = dialog.choice<UnwritableMode>('unwritable', def.unwritable);
      const { refs, skipped } = writableLibraryRefs(await evaluate(RED, this, msg, itemsProp), label, mode);
      // Following or unfollowing a playlist changes the list playlists are found in by name.
      const playlists = refs.some((r) => r.type === 'playlist');
      const { uris, batches } = await changeLibrary(ctx.account.client, change, refs, ctx.counter, {
        order,
        concurrency: ctx.settings.pageConcurrency,
      }).finally(() => {
        if (playlists) ctx.account.playlists.invalidate();
      });
      msg.payload = { [done]: uris.length, uris, batches, skipped };
      msg.spotify = { requests: ctx.counter.requests };
      send(msg);
      return withSkipped(runtimeText(summaryKey, { count: uris.length }), skipped);
    });
  }
  registerWithFields(RED, type, LibraryWriteNode);
}
