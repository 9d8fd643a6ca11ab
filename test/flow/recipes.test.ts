// The recipes (examples/Recipes) and the Start here flow, each run as shipped against the simulator: the test fires
// what would fire the flow (its inject or trigger, a dashboard visitor's input, a song liked in the Spotify app)
// and checks the effect where the user would see it — the speaker plays at volume 30, the queue, the lines of the
// CSV file, the playlist's tracks.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NodeMessage } from 'node-red';
import { createEnv, helper, nextMessage, type TestEnv } from '../support/env';
import { example } from '../support/examples';
import { runExample } from '../support/run-example';

describe('recipes: each example automation against the simulator', function () {
  this.timeout(60_000);
  let env: TestEnv;
  beforeEach(async () => {
    env = await createEnv();
  });
  afterEach(async () => {
    await env.close();
  });

  /** The user's playlists (as /me/playlists lists them) with that name. */
  const named = (name: string) =>
    env.sim.state.library.playlists.flatMap((id) => (id === null ? [] : [env.sim.state.playlist(id)])).filter((p) => p?.name === name);

  it('Start here / Your playlists: the button lists your playlists', async () => {
    const run = await runExample(env, example('Start here/Your playlists'));
    await run.authorize();
    env.node(run.node({ type: 'inject' }).id).receive({});
    const [msg] = await run.received('playlists');
    assert.deepEqual(
      (msg.payload as { name: string }[]).map((p) => p.name),
      env.sim.state.library.playlists.flatMap((id) => (id === null ? [] : [env.sim.state.playlist(id)?.name])),
    );
  });

  it('Morning alarm: Morning Coffee plays on the Living Room Speaker at volume 30', async () => {
    const run = await runExample(env, example('Recipes/Morning alarm'));
    const inject = run.node({ type: 'inject' });
    assert.equal(inject.crontab, '00 07 * * *', 'every day at 07:00');
    await run.authorize();
    env.node(inject.id).receive({});
    await run.received('alarm');
    const player = env.sim.state.player;
    const speaker = player.devices.find((d) => d.name === 'Living Room Speaker');
    assert.equal(player.device_id, speaker?.id, 'on the Living Room Speaker');
    assert.equal(player.is_playing, true);
    assert.equal(player.context_uri, named('Morning Coffee')[0]?.uri, 'the playlist Morning Coffee');
    assert.equal(speaker?.volume_percent, 30);
    assert.deepEqual(run.seen('error'), []);
  });

  it('Party queue: what a guest types is searched and its best match queued; nothing found is an error in words', async () => {
    const run = await runExample(env, example('Recipes/Party queue'));
    await run.authorize();
    env.sim.play(env.sim.state.catalog.track(3).uri); // the party's music
    const input = run.node({ type: 'ui-text-input' });
    env.node(input.id).send({ payload: 'heart', topic: '' });
    const [said] = await run.received('queued');
    assert.equal(env.sim.state.player.queue.length, 1, 'one song queued');
    const queued = (said.payload as { queued: string[] }).queued;
    assert.deepEqual(queued, env.sim.state.player.queue);
    const track = Array.from({ length: env.sim.state.catalog.counts.tracks }, (_v, i) => env.sim.state.catalog.track(i)).find(
      (t) => t.uri === queued[0],
    );
    assert.match(track?.name ?? '', /heart/i, 'the best match for the words');

    env.node(input.id).send({ payload: 'qqqzzzxxv', topic: '' });
    const [error] = await run.received('error');
    assert.match(String((error as NodeMessage & { error: { message: string } }).error.message), /at least one/);
    assert.equal(env.sim.state.player.queue.length, 1, 'nothing more queued');
  });

  describe('Play log', () => {
    let dir: string;
    let tz: string | undefined;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-play-log-'));
      // Far from UTC, so that a time left in UTC shows.
      tz = process.env.TZ;
      process.env.TZ = 'Pacific/Chatham';
    });
    afterEach(() => {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('appends a line per play to the CSV file: local time, title, artists, album, …', async () => {
      const file = path.join(dir, 'spotify-plays.csv');
      const run = await runExample(env, example('Recipes/Play log'), {
        // What the comment says to change: where the file goes.
        adapt: (n) => (n.type === 'file' ? { ...n, filename: file } : n),
      });
      await run.authorize();
      // Its first look writes the latest 50 plays (Spotify keeps no more), oldest first.
      const first = await run.received('written', 50);
      const latest50 = env.sim.state.plays.slice(-50);
      const text = (): string => fs.readFileSync(file, 'utf8');
      const lines = (): string[] => text().split(/\r?\n/).filter(Boolean);
      assert.equal(lines().length, 50);
      assert.equal(first.length, 50);
      assert.doesNotMatch(text(), /\n\r?\n/, 'no empty lines');
      assert.equal(parseCsvLine(lines()[0])[0], localTime(latest50[0].played_at));

      // A song played now: one more line at the next look.
      const track = env.sim.state.catalog.track(77);
      env.sim.play(track.uri);
      env.node(run.node({ type: 'inject' }).id).receive({});
      await run.received('written', 51);
      const last = lines().at(-1) ?? '';
      const played = env.sim.state.plays.at(-1);
      assert.ok(played);
      const [when, name, artists, album] = parseCsvLine(last);
      assert.equal(when, localTime(played.played_at), 'the local time of the play');
      assert.notEqual(when, played.played_at.slice(0, 16).replace('T', ' '), 'not UTC');
      assert.equal(name, track.name);
      assert.ok(artists.length > 0 && album.length > 0, `artists and album: ${last}`);
      assert.deepEqual(run.seen('error'), []);
      // The rows carry msg.columns, so the csv node (no columns set in it) keeps the rows' order and warns nothing.
      const csv = run.node({ type: 'csv' }).id;
      const warned = (helper.log() as unknown as { args: [{ level: number; id: string; msg: unknown }][] }).args
        .map(([e]) => e)
        .filter((e) => e && e.level === 30 && e.id === csv);
      assert.deepEqual(
        warned.map((e) => String(e.msg)),
        [],
        'the Debug sidebar shows no csv warning',
      );
    });
  });

  it('My top tracks every Monday: made the first time, its tracks replaced (not added to) each time', async () => {
    const run = await runExample(env, example('Recipes/My top tracks every Monday'));
    const top = run.node({ type: 'spotify-top-items' });
    assert.deepEqual([top.repeat, top.at], ['mon', '08:00'], 'every Monday at 08:00');
    await run.authorize();
    assert.equal(named('My top tracks').length, 0);
    const inject = run.node({ type: 'inject' });
    env.node(inject.id).receive({});
    const [first] = await run.received('replaced');
    const [made] = named('My top tracks');
    assert.ok(made, 'the playlist was made');
    assert.equal(made.public, false);
    const replaced = (first.payload as { replaced: number }).replaced;
    assert.ok(replaced >= 20, `the top tracks: ${replaced}`);
    assert.equal(made.items.length, replaced);
    const tracks = made.items.map((e) => e.uri);

    env.node(inject.id).receive({});
    await run.received('replaced', 2);
    assert.equal(named('My top tracks').length, 1, 'one playlist, found again by its name');
    assert.deepEqual(
      named('My top tracks')[0]?.items.map((e) => e.uri),
      tracks,
      'the same top tracks, in place of the old ones',
    );
    assert.deepEqual(run.seen('error'), []);
  });

  it('Liked songs to Saved this week: songs liked together all go in, into one playlist made the first time (once, though they come together)', async () => {
    // The user's heart button in the Spotify app: a save to the library outside the flow.
    const like = {
      id: 'like-in-the-app',
      type: 'spotify-save-to-library',
      account: '0a1c9e2b7f3d40ff',
      items: 'payload',
      itemsType: 'msg',
      wires: [['liked-in-the-app']],
    };
    const run = await runExample(env, example('Recipes/Liked songs to Saved this week'), {
      extra: [like, { id: 'liked-in-the-app', type: 'helper', wires: [] }],
    });
    const likeInTheApp = async (uris: string[]): Promise<void> => {
      const saved = nextMessage(env.node('liked-in-the-app'));
      env.node(like.id).receive({ payload: uris });
      await saved;
    };
    await run.authorize();
    const look = run.node({ type: 'inject' }).id;
    // The trigger's first look remembers what is liked already: nothing of it goes into the playlist.
    env.node(look).receive({});
    await run.received('look finished');
    const [a, b, c] = [11, 12, 13].map((i) => env.sim.state.catalog.track(i).uri);
    await likeInTheApp([a, b]);
    env.node(look).receive({});
    await run.received('added', 2); // one message per song, both at once: one playlist made
    assert.equal(named('Saved this week').length, 1);
    assert.deepEqual(
      named('Saved this week')[0]
        ?.items.map((e) => e.uri)
        .sort(),
      [a, b].sort(),
    );

    await likeInTheApp([c]);
    env.node(look).receive({});
    await run.received('added', 3);
    assert.equal(named('Saved this week').length, 1, 'found again by its name');
    assert.deepEqual(
      named('Saved this week')[0]
        ?.items.map((e) => e.uri)
        .sort(),
      [a, b, c].sort(),
    );
    assert.deepEqual(run.seen('error'), []);
  });

  it('Like what is playing: the dashboard button saves the song playing now to Liked Songs', async () => {
    const run = await runExample(env, example('Recipes/Like what is playing'));
    await run.authorize();
    const button = run.node({ type: 'ui-button' }).id;
    env.node(button).send({ payload: '', topic: 'like' });
    await run.received('nothing playing');
    const uri = env.sim.state.catalog.track(21).uri;
    env.sim.play(uri);
    env.node(button).send({ payload: '', topic: 'like' });
    await run.received('liked');
    assert.equal(env.sim.state.library.tracks[0]?.uri, uri);
    assert.deepEqual(run.seen('error'), []);
  });
});

/** How the Play log writes a time: the computer's own time zone, to the minute. */
function localTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** One line of RFC 4180 CSV: commas inside quotes, doubled quotes. */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
