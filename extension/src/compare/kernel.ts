import { ISessionContext } from '@jupyterlab/apputils';
import { Kernel, KernelMessage } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { COMPARE_MIME, ICompareResult, INSTALL_HINT } from '../tokens';

/** What a Compare in the kernel came to. */
export type CompareOutcome =
  | { kind: 'result'; result: ICompareResult }
  | { kind: 'missing'; message: string }
  | { kind: 'no-kernel'; message: string }
  | { kind: 'error'; message: string };

/** Whether the notebook's kernel can import `kernel_helpers` and has its magics loaded. */
export interface IKernelHelpersStatus {
  state: 'unknown' | 'checking' | 'loaded' | 'missing' | 'error' | 'no-kernel';
  message: string;
  version?: string;
}

const PROBE_MARKER = 'TF2M-PROBE ';

/**
 * Loads the magics in the kernel (`%load_ext kernel_helpers`) and reports
 * whether it worked; it prints one JSON line, nothing goes to the notebook.
 */
const PROBE_CODE = `
def _tf2m_probe():
    import json, sys
    status = {"python": sys.executable}
    try:
        import kernel_helpers
    except Exception as error:
        status.update(importable=False, error=f"{type(error).__name__}: {error}")
    else:
        status.update(importable=True, version=getattr(kernel_helpers, "__version__", ""))
        try:
            get_ipython().run_line_magic("load_ext", "kernel_helpers")
            status["magics"] = True
        except Exception as error:
            status.update(magics=False, error=f"{type(error).__name__}: {error}")
    print("${PROBE_MARKER}" + json.dumps(status))
_tf2m_probe()
del _tf2m_probe
`;

/** A JavaScript string as a Python string literal (JSON's escapes are all valid Python ones). */
export function pythonString(text: string): string {
  return JSON.stringify(text);
}

/** The code a Compare runs in the kernel. */
export function compareCode(original: string, migrated: string | null): string {
  const migratedArgument = migrated === null ? 'None' : pythonString(migrated);
  return [
    'import kernel_helpers.compare as _tf2m_compare',
    'from IPython.display import display as _tf2m_display',
    `_tf2m_display(_tf2m_compare.compare(${pythonString(original)}, ${migratedArgument}))`
  ].join('\n');
}

export function missingMessage(detail: string, python?: string): string {
  const where = python ? ` (${python})` : '';
  return (
    `This notebook's kernel${where} cannot import kernel_helpers (${detail}), so Compare cannot run. ` +
    `Install it in the kernel's environment, for example with \`%${INSTALL_HINT}\` in a cell, then restart the kernel.`
  );
}

/**
 * Run Compare in the notebook's kernel and return the rendered payload.
 *
 * The request is not silent (a silent request gets no display messages) but
 * leaves no history; its outputs go to this future only, never into a cell.
 */
export async function runCompare(
  sessionContext: ISessionContext,
  original: string,
  migrated: string | null
): Promise<CompareOutcome> {
  const kernel = await connectedKernel(sessionContext);
  if (!kernel) {
    return {
      kind: 'no-kernel',
      message: 'Compare runs in the notebook’s kernel, and this notebook has none. Start a kernel and try again.'
    };
  }
  let result: ICompareResult | null = null;
  let error: KernelMessage.IErrorMsg['content'] | null = null;
  const future = kernel.requestExecute({
    code: compareCode(original, migrated),
    silent: false,
    store_history: false,
    stop_on_error: true,
    allow_stdin: false
  });
  future.onIOPub = message => {
    const type = message.header.msg_type;
    if (type === 'display_data' || type === 'execute_result') {
      const data = (message as KernelMessage.IDisplayDataMsg).content.data;
      if (data && data[COMPARE_MIME]) {
        result = data[COMPARE_MIME] as unknown as ICompareResult;
      }
    } else if (type === 'error') {
      error = (message as KernelMessage.IErrorMsg).content;
    }
  };
  try {
    const reply = await future.done;
    if (!error && reply && reply.content.status === 'error') {
      error = reply.content as unknown as KernelMessage.IErrorMsg['content'];
    }
  } catch (reason) {
    return { kind: 'error', message: `The kernel stopped before Compare finished: ${String(reason)}` };
  } finally {
    future.dispose();
  }
  if (result) {
    return { kind: 'result', result };
  }
  if (error) {
    return describeError(error);
  }
  return {
    kind: 'error',
    message: `Compare ran but returned no ${COMPARE_MIME} output; the kernel's kernel_helpers may be too old (upgrade with \`${INSTALL_HINT} -U\`).`
  };
}

function describeError(error: KernelMessage.IErrorMsg['content']): CompareOutcome {
  const name = error.ename ?? 'Error';
  const value = error.evalue ?? '';
  if ((name === 'ModuleNotFoundError' || name === 'ImportError') && value.includes('kernel_helpers')) {
    if (value.includes("'kernel_helpers'")) {
      return { kind: 'missing', message: missingMessage(`${name}: ${value}`) };
    }
    return {
      kind: 'missing',
      message: `The kernel's kernel_helpers has no Compare (${name}: ${value}). Upgrade it in the kernel's environment: \`%${INSTALL_HINT} -U\`, then restart the kernel.`
    };
  }
  const traceback = (error.traceback ?? []).join('\n');
  return { kind: 'error', message: `${name}: ${value}${traceback ? `\n\n${stripAnsi(traceback)}` : ''}` };
}

/** Kernel tracebacks are coloured with ANSI escapes; the panel shows plain text. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

/**
 * The session's kernel once it really answers: the status bar says "Idle"
 * while a new kernel is still connecting, and a request sent then is lost.
 */
async function connectedKernel(
  sessionContext: ISessionContext
): Promise<Kernel.IKernelConnection | null> {
  await sessionContext.ready;
  const kernel = sessionContext.session?.kernel;
  if (!kernel) {
    return null;
  }
  await kernel.info;
  return kernel;
}

/**
 * Follows a notebook's kernel and loads the tf2-migrate magics into each new
 * (or restarted) kernel, keeping the outcome for the panel to show.
 */
export class KernelHelpers {
  constructor(private _sessionContext: ISessionContext) {
    _sessionContext.kernelChanged.connect(this._onKernelChanged, this);
    _sessionContext.statusChanged.connect(this._onStatusChanged, this);
    void _sessionContext.ready.then(() => this.check());
  }

  get status(): IKernelHelpersStatus {
    return this._status;
  }

  get changed(): ISignal<this, IKernelHelpersStatus> {
    return this._changed;
  }

  /** Probe the kernel (again) and load the magics there. */
  async check(): Promise<IKernelHelpersStatus> {
    const sequence = ++this._sequence;
    this._set({ state: 'checking', message: 'Checking the kernel for kernel_helpers…' });
    let status: IKernelHelpersStatus;
    try {
      status = await this._probe();
    } catch (reason) {
      status = { state: 'error', message: `Could not check the kernel: ${String(reason)}` };
    }
    if (sequence === this._sequence) {
      this._set(status);
    }
    return status;
  }

  dispose(): void {
    Signal.clearData(this);
  }

  private async _probe(): Promise<IKernelHelpersStatus> {
    const kernel = await connectedKernel(this._sessionContext);
    if (!kernel) {
      return { state: 'no-kernel', message: 'No kernel: Compare needs one.' };
    }
    let line = '';
    let failure = '';
    const future = kernel.requestExecute({
      code: PROBE_CODE,
      silent: true,
      store_history: false,
      allow_stdin: false
    });
    future.onIOPub = message => {
      if (message.header.msg_type === 'stream') {
        const text = (message as KernelMessage.IStreamMsg).content.text;
        const found = text.split('\n').find(l => l.startsWith(PROBE_MARKER));
        if (found) {
          line = found.slice(PROBE_MARKER.length);
        }
      } else if (message.header.msg_type === 'error') {
        const content = (message as KernelMessage.IErrorMsg).content;
        failure = `${content.ename}: ${content.evalue}`;
      }
    };
    try {
      await future.done;
    } finally {
      future.dispose();
    }
    if (!line) {
      return {
        state: 'error',
        message: `The kernel did not answer the kernel_helpers check${failure ? ` (${failure})` : ''}.`
      };
    }
    const probe = JSON.parse(line) as {
      importable: boolean;
      version?: string;
      magics?: boolean;
      error?: string;
      python?: string;
    };
    if (!probe.importable) {
      return { state: 'missing', message: missingMessage(probe.error ?? 'not installed', probe.python) };
    }
    if (!probe.magics) {
      return {
        state: 'error',
        version: probe.version,
        message: `kernel_helpers ${probe.version} is in the kernel but its magics did not load (${probe.error}).`
      };
    }
    return {
      state: 'loaded',
      version: probe.version,
      message: `kernel_helpers ${probe.version} loaded in the kernel (%%tf2_migrate, %%tf2_compare).`
    };
  }

  private _onKernelChanged(): void {
    void this.check();
  }

  private _onStatusChanged(_: ISessionContext, status: Kernel.Status): void {
    if (status === 'restarting' || status === 'autorestarting') {
      this._restarted = true;
    } else if (status === 'idle' && this._restarted) {
      this._restarted = false;
      void this.check();
    }
  }

  private _set(status: IKernelHelpersStatus): void {
    this._status = status;
    this._changed.emit(status);
  }

  private _status: IKernelHelpersStatus = { state: 'unknown', message: '' };
  private _changed = new Signal<this, IKernelHelpersStatus>(this);
  private _sequence = 0;
  private _restarted = false;
}
