/**
 * The tslab kernel's own output channel: a chart as one message of several MIME types (tslab's API
 * sends one per call), and outputs replaced in place. Outside a kernel, callers print text instead.
 */
import { randomBytes } from 'node:crypto';

/** A MIME bundle: the same output in several types; each front end shows the richest it can. */
export type MimeBundle = Record<string, unknown>;

type Message = { data: MimeBundle; metadata: object; transient: { display_id?: string } };
type Writer = (message: Message, update: boolean) => void;

/** The kernel's own tslab (whatever its path) writer of display messages for the cell running now. */
function writer(): Writer | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    const write = (mod?.exports as { lastWriteDisplayData?: Writer } | undefined)?.lastWriteDisplayData;
    if (typeof write === 'function') return write;
  }
  return undefined;
}

/** Sends one output to the running cell; false outside a kernel. */
export function display(bundle: MimeBundle): boolean {
  const write = writer();
  write?.({ data: bundle, metadata: {}, transient: {} }, false);
  return write !== undefined;
}

/** A new output (a tslab display id) that each call shows or replaces in place; undefined outside a kernel. */
export function liveOutput(): ((bundle: MimeBundle) => void) | undefined {
  const write = writer();
  if (!write) return undefined;
  const id = randomBytes(8).toString('hex');
  let shown = false;
  return (bundle) => {
    write({ data: bundle, metadata: {}, transient: { display_id: id } }, shown);
    shown = true;
  };
}
