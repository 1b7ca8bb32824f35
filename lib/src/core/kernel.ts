/**
 * The notebook a cell runs in, when it runs in the tslab kernel: the kernel's own channel for
 * rich output, so the library can send a chart as one message with several MIME types (what
 * tslab's public display API cannot: it sends one type per call) and replace an output in
 * place (progress). Outside a kernel there is no channel, and callers print text instead.
 */
import { randomBytes } from 'node:crypto';

/** A MIME bundle: the same output in several types; each front end shows the richest it can. */
export type MimeBundle = Record<string, unknown>;

type Writer = (
  message: { data: MimeBundle; metadata: object; transient: { display_id?: string } },
  update: boolean,
) => void;

/**
 * tslab's writer of display messages for the cell running now, from the kernel's own copy of
 * tslab (whatever its path): `lastWriteDisplayData` in its jupyter module, which tslab sets
 * for every execute request.
 */
function writer(): Writer | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    const write = (mod?.exports as { lastWriteDisplayData?: Writer } | undefined)?.lastWriteDisplayData;
    if (typeof write === 'function') return write;
  }
  return undefined;
}

/** True when this code runs in the tslab kernel, inside a cell. */
export function inKernel(): boolean {
  return writer() !== undefined;
}

/** Sends one output to the running cell; false outside a kernel. */
export function display(bundle: MimeBundle): boolean {
  const write = writer();
  write?.({ data: bundle, metadata: {}, transient: {} }, false);
  return write !== undefined;
}

/** An output that can be replaced in place (tslab's display ids): `set` shows or replaces it. */
export interface LiveOutput {
  set(bundle: MimeBundle): void;
}

/** A new output to replace in place, or undefined outside a kernel. */
export function liveOutput(): LiveOutput | undefined {
  const write = writer();
  if (!write) return undefined;
  const id = randomBytes(8).toString('hex');
  let shown = false;
  return {
    set(bundle) {
      write({ data: bundle, metadata: {}, transient: { display_id: id } }, shown);
      shown = true;
    },
  };
}
