// The details a playlist is created or changed with: name, description, public, collaborative. Each comes from
// a typed input; an empty input or an absent msg property leaves the detail out of the request.
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { InputError } from '../spotify/errors';
import { expectText } from '../spotify/words';
import { optionalBool, optionalText } from '../spotify/inputs';
import { evaluate, typedValue, type TypedValue } from './typed-input';

export interface PlaylistDetails {
  name?: string;
  description?: string;
  public?: boolean;
  collaborative?: boolean;
}

/** The details other than the name (the node's own `name` is its label; each node stores the name its own way). */
export interface DetailsDef {
  description?: string;
  descriptionType?: string;
  public?: string;
  publicType?: string;
  collaborative?: string;
  collaborativeType?: string;
}

export interface DetailsProps {
  name: TypedValue;
  description: TypedValue;
  public: TypedValue;
  collaborative: TypedValue;
}

/** Defaults: msg.<detail>, and msg.<nameFrom> for the name (create playlist reads msg.payload). */
export function detailsProps(def: DetailsDef, name: { value?: string; type?: string }, nameFrom: string): DetailsProps {
  return {
    name: typedValue(name.value, name.type, { value: nameFrom, type: 'msg' }),
    description: typedValue(def.description, def.descriptionType, { value: 'description', type: 'msg' }),
    public: typedValue(def.public, def.publicType, { value: 'public', type: 'msg' }),
    collaborative: typedValue(def.collaborative, def.collaborativeType, { value: 'collaborative', type: 'msg' }),
  };
}

export async function readDetails(RED: NodeAPI, node: Node, msg: NodeMessage, props: DetailsProps): Promise<PlaylistDetails> {
  const details: PlaylistDetails = {
    name: optionalText(await evaluate(RED, node, msg, props.name), 'name', { max: 1000, nonEmpty: true }),
    description: optionalText(await evaluate(RED, node, msg, props.description), 'description', { max: 1000 }),
    public: optionalBool(await evaluate(RED, node, msg, props.public), 'public'),
    collaborative: optionalBool(await evaluate(RED, node, msg, props.collaborative), 'collaborative'),
  };
  if (details.collaborative === true && details.public === true) {
    throw new InputError('collaborative', expectText('collaborative'), true);
  }
  return Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
}
