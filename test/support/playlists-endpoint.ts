// A flow fragment that lets a test ask a running Node-RED for a Spotify read from outside: GET /playlists
// answers with the account "acc"'s first three playlists, or 500 and the error's text.

/** Nodes on tab "tab"; `catchScope` null catches every node's errors on the tab. */
export function playlistsEndpoint(catchScope: string[] | null = ['get']): Record<string, unknown>[] {
  return [
    { id: 'in', type: 'http in', z: 'tab', url: '/playlists', method: 'get', x: 100, y: 100, wires: [['get']] },
    { id: 'get', type: 'spotify-get-playlists', z: 'tab', account: 'acc', limit: '3', limitType: 'num', x: 300, y: 100, wires: [['res']] },
    { id: 'res', type: 'http response', z: 'tab', statusCode: '', x: 500, y: 100, wires: [] },
    { id: 'catch', type: 'catch', z: 'tab', scope: catchScope, x: 100, y: 200, wires: [['err']] },
    {
      id: 'err',
      type: 'change',
      z: 'tab',
      rules: [
        { t: 'set', p: 'statusCode', pt: 'msg', to: '500', tot: 'num' },
        { t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' },
      ],
      x: 300,
      y: 200,
      wires: [['res']],
    },
  ];
}
