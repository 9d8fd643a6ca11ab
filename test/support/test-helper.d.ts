// Types for the parts of node-red-node-test-helper the tests use (the package ships none).
declare module 'node-red-node-test-helper' {
  import type { Node, NodeAPI } from 'node-red';
  interface TestResponse {
    status: number;
    body: Record<string, unknown>;
    text: string;
    headers: Record<string, string>;
  }
  interface Test extends PromiseLike<TestResponse> {
    send(body: unknown): Test;
    set(name: string, value: string): Test;
  }
  type NodeModule = (RED: NodeAPI) => void;
  interface FlowNode {
    id: string;
    type: string;
    [key: string]: unknown;
  }
  interface RequestBuilder {
    get(path: string): Test;
    post(path: string): Test;
  }
  interface Helper {
    init(nodeRedPath: string, userSettings?: Record<string, unknown>): void;
    settings(userSettings: Record<string, unknown>): Record<string, unknown>;
    load(nodes: NodeModule | NodeModule[], flow: FlowNode[], credentials?: Record<string, Record<string, string>>): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): (Node & Record<string, unknown>) | null;
    request(): RequestBuilder;
    startServer(): Promise<void>;
    stopServer(): Promise<void>;
    clearFlows(): Promise<void>;
    log(): { args: unknown[][] } & import('sinon').SinonSpy;
  }
  const helper: Helper;
  export = helper;
}
