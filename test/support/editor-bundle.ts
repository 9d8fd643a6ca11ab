// The editor bundle (resources/editor.js, built from editor/) run as the browser runs it, in a context of its own
// with a stand-in for Node-RED's editor (RED, $): what the tests of the field checks and the migrations need to
// see the shipped editor code agree with the runtime, without a browser.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { catalogFile } from '../../nodes/node-red/messages';
import { catalogLookup } from './catalog-lookup';
import { BUILD_ROOT } from './node-red-process';

export const EDITOR_BUNDLE = path.join(BUILD_ROOT, 'resources', 'editor.js');

export interface EditorDefinition {
  defaults: Record<string, { value?: unknown; validate?: unknown } | undefined>;
  category?: string;
  [option: string]: unknown;
}

type Handler = (arg: unknown) => void;

/** A stand-in for the editor's RED: a registry of definitions that announces each one, as the editor does. */
export class FakeEditor {
  readonly defs = new Map<string, EditorDefinition>();
  private readonly handlers = new Map<string, Handler[]>();
  readonly context: vm.Context;

  /** `lang`: the editor's language, which the node types' catalogs (`_`) answer in. */
  constructor(
    settings: Record<string, unknown> = {},
    private readonly lang = 'en-US',
  ) {
    const RED = {
      settings,
      events: { on: (event: string, fn: Handler) => void this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]) },
      nodes: {
        registerType: (type: string, def: EditorDefinition) => this.registerType(type, def),
        getType: (type: string) => this.defs.get(type),
        node: () => undefined,
        eachNode: () => undefined,
        eachConfig: () => undefined,
      },
      // Non-literal typed-input values get Node-RED's own check; here every one passes.
      utils: { validateTypedProperty: () => true },
      _: (key: string) => key,
    };
    // No dialog is open: a field's value (a typed input's type) comes from the node. $.extend as jQuery's deep copy.
    const $ = Object.assign(() => ({ val: () => undefined }), {
      extend: (_deep: boolean, target: object, src: object): object => Object.assign(target, structuredClone(withoutFunctions(src))),
    });
    this.context = vm.createContext({ RED, $, setTimeout });
    // As in a browser, `window` is the global object.
    vm.runInContext('var window = this;', this.context);
  }

  /** Registers a node type the way RED.nodes.registerType does: kept with its catalog lookup `_` (its catalog
   *  in the editor's language), then announced. */
  registerType(type: string, def: EditorDefinition): void {
    def._ = catalogLookup(this.lang, catalogFile(type));
    this.defs.set(type, def);
    for (const fn of this.handlers.get('registry:node-type-added') ?? []) fn(type);
  }

  /** Runs the editor bundle, as the editor plugin's <script src> does. */
  loadBundle(): void {
    vm.runInContext(fs.readFileSync(EDITOR_BUNDLE, 'utf8'), this.context, { filename: EDITOR_BUNDLE, timeout: 5000 });
  }

  /** Runs editor script text (a node's HTML scripts) in the same page. */
  run(code: string, filename: string): void {
    vm.runInContext(code, this.context, { filename, timeout: 2000 });
  }

  /** A global of the page (window.<name>). */
  global<T>(name: string): T {
    return (this.context as Record<string, unknown>)[name] as T;
  }
}

/** A definition's data (jQuery's deep copy keeps functions by reference; structuredClone cannot copy them). */
function withoutFunctions(value: object): object {
  return JSON.parse(JSON.stringify(value)) as object;
}
