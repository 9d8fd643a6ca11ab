// What a test file shares with the files after it (a browser, a Node-RED) is put away once, when the run ends:
// the root hook in root-hooks.ts runs these before it checks that no child process outlived the tests.
const tasks: { what: string; task: () => Promise<void> }[] = [];

/** Runs `task` at the end of the run (after every test file), at most once. */
export function atRunEnd(what: string, task: () => Promise<void>): void {
  tasks.push({ what, task });
}

/** Runs every task, last registered first; resolves with what failed ("what: message"). */
export async function runEndTasks(): Promise<string[]> {
  const failed: string[] = [];
  for (const { what, task } of tasks.splice(0).reverse()) {
    await task().catch((err: unknown) => failed.push(`${what}: ${err instanceof Error ? err.message : String(err)}`));
  }
  return failed;
}
