// Spotify Connect devices: the list, and a device named by the user (by id or by its name as the Spotify apps
// show it) turned into the id the player endpoints want. Knows nothing about Node-RED.
import { InputError } from './errors';
import { expectText } from './words';
import type { RequestCounter } from './http-client';
import { OPERATIONS } from './operations';
import type { SpotifyClient } from './spotify-client';

export interface Device {
  id: string | null;
  name: string;
  type: string;
  is_active: boolean;
  is_private_session?: boolean;
  is_restricted: boolean;
  volume_percent: number | null;
  supports_volume?: boolean;
}

export interface ResolvedDevice {
  id: string;
  /** Known when the device list was read to find it. */
  name?: string;
}

/** Spotify's device ids are 40 hex digits: such a value is used as is, with no lookup. */
const DEVICE_ID = /^[0-9a-f]{40}$/i;
const MAX_DEVICE_CHARS = 200;

export async function listDevices(client: SpotifyClient, counter?: RequestCounter): Promise<Device[]> {
  const body = await client.call<{ devices?: Device[] } | undefined>(OPERATIONS.devices, {}, counter);
  return Array.isArray(body?.devices) ? body.devices : [];
}

/**
 * The device a user means: undefined when `value` is empty (Spotify then uses the active device); a device id
 * as is; otherwise the device whose name matches case-insensitively (the active one first when names repeat).
 * An unknown name is an InputError that lists the devices Spotify currently sees.
 */
export async function resolveDevice(
  client: SpotifyClient,
  value: unknown,
  field: string,
  counter?: RequestCounter,
): Promise<ResolvedDevice | undefined> {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_DEVICE_CHARS) {
    throw new InputError(field, expectText('deviceName'), value);
  }
  const wanted = value.trim();
  if (DEVICE_ID.test(wanted)) return { id: wanted };
  const devices = await listDevices(client, counter);
  const usable = devices.filter((d): d is Device & { id: string } => typeof d.id === 'string' && d.id !== '');
  const byId = usable.find((d) => d.id === wanted);
  if (byId) return { id: byId.id, name: byId.name };
  const key = wanted.toLocaleLowerCase();
  const named = usable.filter((d) => typeof d.name === 'string' && d.name.trim().toLocaleLowerCase() === key);
  const pick = named.find((d) => d.is_active) ?? named[0];
  if (pick) return { id: pick.id, name: pick.name };
  throw new InputError(
    field,
    usable.length
      ? expectText('deviceAvailable', { names: usable.map((d) => JSON.stringify(d.name)).join(', ') })
      : expectText('deviceNone'),
    value,
  );
}
