// followed artists: the artists the user follows (GET /me/following?type=artist), following Spotify's cursor
// from page to page; every page, at most N, or one message per artist.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { OUTPUT_MODES, sendList, shapeItems, type OutputFormat } from './node-red/list-output';
import { nodeTexts } from './node-red/messages';
import { evaluate } from './node-red/typed-input';
import { oneOf } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';

/** This node's own texts, in its catalog (followed-artists.json). */
const ownText = nodeTexts('spotify-followed-artists');

interface FollowedArtistsDef extends NodeDef {
  account: string;
  limit?: string;
  limitType?: string;
  output?: string;
  /** 'objects' (as Spotify sends them) or 'rows' (flat, for a table). */
  format?: string;
}

/** Spotify wraps this listing: `{artists: {items, next, cursors, total}}`. */
function artistsPage(body: unknown): unknown {
  return body && typeof body === 'object' ? (body as { artists?: unknown }).artists : undefined;
}

export = function register(RED: NodeAPI): void {
  function FollowedArtistsNode(this: Node, def: FollowedArtistsDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-followed-artists', def);
    const limitProp = dialog.typed('limit');
    const mode = oneOf(def.output, 'output', OUTPUT_MODES, 'array');
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const format = dialog.choice<OutputFormat>('format', def.format);
      const maxItems = dialog.int('limit', await evaluate(RED, this, msg, limitProp));
      const pageLimit = OPERATIONS.followedArtists.paging.limit;
      const artists = ctx.account.client.list<unknown>(
        OPERATIONS.followedArtists,
        // A small "at most" asks for a small first page; Spotify's next links keep that limit.
        { query: { type: 'artist', limit: Math.min(pageLimit, maxItems ?? pageLimit) } },
        { maxItems, pick: artistsPage },
        ctx.counter,
      );
      const facts = () => ({ total: artists.total, requests: ctx.counter.requests });
      const { count } = await sendList(RED, msg, send, shapeItems(artists, format), mode, facts);
      return ownText('status.artists', { count });
    });
  }
  registerWithFields(RED, 'spotify-followed-artists', FollowedArtistsNode);
};
