// Podcast episodes in a playlist and in the player reach the flow as episodes (with their show), not in the
// track-like form Spotify keeps for clients that do not ask for episodes (additional_types).
import assert from 'node:assert/strict';
import type { NodeMessage } from 'node-red';
import type { AccountConfigNode } from '../../nodes/node-red/action-node';
import { OPERATIONS } from '../../nodes/spotify/operations';
import { PACK_SCOPES } from '../../nodes/spotify/scopes';
import { ok, runner } from '../helpers/node-runner';
import { actionNode, createEnv, nextMessage, ACCOUNT_ID, type TestEnv } from '../support/env';

interface Item {
  uri: string;
  type: string;
  name: string;
  show?: { name: string };
  episode?: boolean;
}

describe('episodes arrive as episodes', function () {
  let env: TestEnv;
  const call = runner(() => env);
  let playlistId: string;
  let episodes: string[];

  beforeEach(async function () {
    env = await createEnv({ settings: { minPollSeconds: 0.05 } });
    const p = env.sim.createPlaylist('Morning mix');
    playlistId = p.id;
    episodes = [env.sim.state.catalog.episode(2).uri, env.sim.state.catalog.episode(7).uri];
    await env.load([
      env.accountNode({ scopes: PACK_SCOPES.join(' ') }),
      actionNode('tracks', 'spotify-playlist-tracks', { output: 'array' }),
      actionNode('state', 'spotify-playback-state', { what: 'current' }),
      {
        id: 'changed',
        type: 'spotify-playlist-changed',
        account: ACCOUNT_ID,
        firstRun: 'remember',
        interval: '30',
        playlists: p.id,
        wires: [['out']],
      },
      { id: 'completer', type: 'complete', scope: ['changed'], uncaught: false, wires: [['completed']] },
      { id: 'completed', type: 'helper' },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize({ scopes: [...PACK_SCOPES] });
    const client = env.node<AccountConfigNode>(ACCOUNT_ID).account?.client;
    assert.ok(client);
    await client.call(OPERATIONS.addPlaylistItems, {
      params: { playlist_id: p.id },
      body: { uris: [env.sim.state.catalog.track(1).uri, episodes[0]] },
    });
  });
  afterEach(async function () {
    await env.close();
  });

  const assertEpisode = (item: Item | null | undefined, uri: string): void => {
    assert.ok(item, `an item for ${uri}`);
    assert.equal(item.uri, uri);
    assert.equal(item.type, 'episode');
    assert.equal(item.episode, undefined, 'not the track-like form');
    assert.equal(typeof item.show?.name, 'string', 'with its show');
  };

  it('playlist tracks: an episode entry holds the episode with its show', async function () {
    const msg = ok(await call('tracks', { playlist: playlistId }));
    const entries = msg.payload as { item: Item }[];
    assert.deepEqual(
      entries.map((e) => e.item.type),
      ['track', 'episode'],
    );
    assertEpisode(entries[1].item, episodes[0]);
  });

  it('playlist changed: added episodes are reported as episodes', async function () {
    const poll = async (): Promise<void> => {
      const done = nextMessage(env.node('completed'), 15_000);
      env.node('changed').receive({});
      await done;
    };
    const out: NodeMessage[] = [];
    env.node('out').on('input', (m: NodeMessage) => out.push(m));
    await poll(); // the playlist as it is now is known (whatever the first poll at deploy time saw)
    out.length = 0;
    const client = env.node<AccountConfigNode>(ACCOUNT_ID).account?.client;
    assert.ok(client);
    await client.call(OPERATIONS.addPlaylistItems, { params: { playlist_id: playlistId }, body: { uris: [episodes[1]] } });
    await poll();
    assert.equal(out.length, 1);
    const added = (out[0].payload as { added: { item: Item }[] }).added;
    assert.equal(added.length, 1);
    assertEpisode(added[0].item, episodes[1]);
  });

  it('playback state: a playing episode is named, with its show', async function () {
    env.sim.play(episodes[1]);
    const msg = ok(await call('state', {}));
    assertEpisode((msg.payload as { item: Item }).item, episodes[1]);
    assert.equal((msg.payload as { currently_playing_type: string }).currently_playing_type, 'episode');
  });
});
