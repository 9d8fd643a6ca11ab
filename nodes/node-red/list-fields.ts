// The dialog fields every node that reads a list page by page shares: Limit and Offset (typed inputs: how
// many, from where), Output (one message, or one per item) and Items as (objects or rows).
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { oneOf } from '../spotify/inputs';
import type { NodeFieldReader } from './fields';
import { OUTPUT_MODES, type OutputFormat, type OutputMode } from './list-output';
import { evaluate, type TypedValue } from './typed-input';

export interface ListFieldsDef {
  limit?: string;
  limitType?: string;
  /** Entries skipped before the first one sent (Spotify's offset). */
  offset?: string;
  offsetType?: string;
  output?: string;
  /** 'objects' (as Spotify sends them) or 'rows' (flat, for a table). */
  format?: string;
}

export class ListFields {
  readonly mode: OutputMode;
  private readonly limitProp: TypedValue;
  private readonly offsetProp: TypedValue;

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly dialog: NodeFieldReader,
    private readonly def: ListFieldsDef,
  ) {
    this.limitProp = dialog.typed('limit');
    this.offsetProp = dialog.typed('offset');
    this.mode = oneOf(def.output, 'output', OUTPUT_MODES, 'array');
  }

  /** Items as, checked for each message (a wrong value fails it, naming the field). */
  format(): OutputFormat {
    return this.dialog.choice<OutputFormat>('format', this.def.format);
  }

  /** Limit and Offset for this message (undefined: every item, from the first). */
  async range(msg: NodeMessage): Promise<{ maxItems: number | undefined; offset: number | undefined }> {
    const maxItems = this.dialog.int('limit', await evaluate(this.RED, this.node, msg, this.limitProp));
    const offset = this.dialog.int('offset', await evaluate(this.RED, this.node, msg, this.offsetProp));
    return { maxItems, offset };
  }
}
