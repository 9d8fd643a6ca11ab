// The parts of Node-RED's editor API (the browser's global RED, and the widgets it adds to jQuery) that the
// pack's editor code uses, as Node-RED 3.0 to 5 provide them. Written here rather than taken from
// @types/node-red__editor-client: that package drags Node.js and Express types into a browser program, types
// most values as `any`, and predates calls used here (validateTypedProperty, hooks, popover panels).
// Add a member when the code first uses it, no sooner.

declare namespace NodeRedEditor {
  /** Values for a message key's placeholders (`__name__`) and i18next's `count`. */
  type I18nVars = Record<string, string | number>;

  /** A node definition's `_`: looks a key up in the node set's catalog ("spotify-account.label.name"). */
  type Translate = (key: string, vars?: I18nVars) => string;

  /** A registerType definition, as the editor keeps it (Node-RED adds `type`, `set` and `_`). */
  interface NodeDefinition {
    category?: string;
    defaults: Record<string, { value: unknown; [option: string]: unknown }>;
    type?: string;
    set?: unknown;
    _?: Translate;
    [option: string]: unknown;
  }

  /** A node (or config node) as the editor holds it: its stored properties beside the editor's own. */
  interface EditorNode {
    id: string;
    type: string;
    /** The flow (tab or subflow) it is on. */
    z?: string;
    name?: string;
    changed?: boolean;
    dirty?: boolean;
    /** Credentials the editor knows: plain values typed in this session, `has_<name>` for stored passwords. */
    credentials?: Record<string, unknown>;
    _def: NodeDefinition;
    _: Translate;
    [property: string]: unknown;
  }

  interface Link {
    source: EditorNode;
    target?: EditorNode;
  }

  interface NotificationButton {
    text: string;
    class?: string;
    id?: string;
    click: () => void;
  }

  interface NotifyOptions {
    type?: 'success' | 'warning' | 'error' | 'compact';
    timeout?: number;
    modal?: boolean;
    fixed?: boolean;
    buttons?: NotificationButton[];
  }

  interface Notification {
    close(): void;
  }

  /** RED.popover.panel: a floating panel under a widget (the typed input's expand button). */
  interface PopoverPanel {
    container: JQuery;
    show(options: { target: JQuery; align?: 'left' | 'right'; onclose?: () => void }): void;
    hide(): void;
  }

  /** The Debug sidebar's hook argument (debugPostProcessMessage): the message shown and its element. */
  interface DebugMessageEvent {
    message?: { level?: number; type?: unknown };
    payload?: unknown;
    element?: HTMLElement | JQuery;
  }

  /** RED.settings: the runtime's settings the editor may see (registerType `settings` included). */
  interface Settings {
    readonly [name: string]: unknown;
  }

  interface RED {
    settings: Settings;
    /** Node-RED's own catalog (core texts such as "common.label.cancel"). */
    _: Translate;
    nodes: {
      registerType(type: string, definition: NodeDefinition): void;
      getType(type: string): NodeDefinition | undefined;
      node(id: string): EditorNode | undefined;
      eachNode(callback: (node: EditorNode) => void | boolean): void;
      eachConfig(callback: (node: EditorNode) => void | boolean): void;
      filterLinks(filter: { source?: EditorNode; target?: EditorNode }): Link[];
      subflow(id: string | undefined): object | undefined | null;
      dirty(dirty: boolean): void;
    };
    events: {
      on(event: 'nodes:add', handler: (node: EditorNode) => void): void;
      on(event: 'registry:node-type-added', handler: (type: string) => void): void;
    };
    /** Hooks arrived in Node-RED 2; debugPostProcessMessage later still: older editors lack them. */
    hooks?: {
      add(name: 'debugPostProcessMessage.tunewire', handler: (event: DebugMessageEvent) => void): void;
    };
    comms: {
      subscribe(topic: string, handler: (topic: string, data: unknown) => void): void;
      unsubscribe(topic: string, handler: (topic: string, data: unknown) => void): void;
    };
    notify(message: string, options?: NotifyOptions | NotifyOptions['type']): Notification;
    popover: {
      panel(content: JQuery): PopoverPanel;
    };
    sidebar: {
      show(name: string): void;
    };
    utils: {
      /** The text with HTML's special characters escaped. */
      sanitize(text: string): string;
      getNodeLabel(node: EditorNode, defaultLabel?: string): string;
      /** A node type's name in the palette (its paletteLabel, else the type). */
      getPaletteLabel(type: string, def: NodeDefinition): string;
      /** Node-RED 3.1 and later: a typed input's value checked by its type; a string says why it is wrong. */
      validateTypedProperty?: (value: unknown, type: string, opt?: object) => boolean | string;
    };
    view: {
      redraw(updateActive?: boolean): void;
    };
  }

  /** A type offered by a typed input; `expand` gives it a button that opens the type's own editor. */
  interface TypedInputType {
    value: string;
    label?: string;
    icon?: string;
    expand?: ((this: TypedInputWidget) => void) & { icon?: string };
    /** Shows the value as this renders it in place of the text box (Node-RED's own "node" type does). */
    valueLabel?: (this: TypedInputWidget, container: JQuery, value: string) => void;
  }

  /** The typed input widget itself (`this` in a type's expand). */
  interface TypedInputWidget {
    elementDiv: JQuery;
    optionExpandButton: JQuery;
  }

  interface TypedInputOptions {
    default?: string;
    /** The hidden input that keeps the chosen type. */
    typeField?: string;
    types: readonly (string | TypedInputType)[];
  }
}

declare const RED: NodeRedEditor.RED;

interface JQuery {
  typedInput(options: NodeRedEditor.TypedInputOptions): JQuery;
  typedInput(method: 'type' | 'value'): string;
  typedInput(method: 'type' | 'value' | 'width', value: string): JQuery;
  /** jQuery UI's widget instance of the typed input. */
  typedInput(method: 'instance'): NodeRedEditor.TypedInputWidget | undefined;
  /** jQuery UI's spinner, which Node-RED's editor includes. */
  spinner(options: { min?: number; max?: number }): JQuery;
  /** Dashboard 2's widget-size picker (present only when Dashboard 2 is installed). */
  elementSizer?: (options: { width: string; height: string; group: string }) => JQuery;
}
