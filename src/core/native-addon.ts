// Recognises a native addon (better-sqlite3, fs-ext, node-pty) that failed to load, so users
// see which addon, which Node ABI it needs and how to rebuild it instead of a stack trace.

/** What went wrong with a native addon, in words and fields for an error's details. */
export interface NativeAddonFailure {
  addon: string;
  message: string;
  hint: string;
  details: { addon: string; node: string; abi: string; built_for_abi?: string; package_dir?: string };
}

const ADDON_PATH = /(\/[^\s'"]*)\/node_modules\/((?:@[^/\s'"]+\/)?[^/\s'"]+)\/[^\s'"]*\.node\b/;
const ADDON_DIR = /(\/[^\s'"]*)\/node_modules\/((?:@[^/\s'"]+\/)?[^/\s'"]+)\//;
const BINDINGS_MISSING = /Could not locate the bindings file|Cannot find module '[^']*\.node'/;
const BUILT_FOR = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires/;

/** The addon failure behind `error`, or undefined when it is anything else. */
export function describeNativeAddonFailure(error: unknown): NativeAddonFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  const text = error.message;
  const dlopen = code === 'ERR_DLOPEN_FAILED' || BUILT_FOR.test(text);
  if (!dlopen && !BINDINGS_MISSING.test(text)) return undefined;
  const path = ADDON_PATH.exec(text) ?? ADDON_DIR.exec(text);
  const addon = path?.[2] ?? 'a native addon';
  const packageDir = path?.[1];
  const builtFor = BUILT_FOR.exec(text)?.[1];
  const abi = process.versions.modules;
  const why =
    builtFor !== undefined
      ? `was built for Node ABI ${builtFor}, but this Node ${process.version} needs ABI ${abi}`
      : dlopen
        ? `could not be loaded by Node ${process.version} (ABI ${abi})`
        : `has no compiled binary for Node ${process.version} (ABI ${abi})`;
  return {
    addon,
    message: `${addon} ${why}`,
    hint:
      packageDir !== undefined
        ? `rebuild it for this Node: \`cd ${packageDir} && npm rebuild ${addon}\` (or reinstall agentmux with this Node: \`npm install -g agentmux\`); building needs python3, make and a C++ compiler`
        : 'reinstall agentmux with the Node you run it with (`npm install -g agentmux`); building needs python3, make and a C++ compiler',
    details: {
      addon,
      node: process.version,
      abi,
      ...(builtFor !== undefined ? { built_for_abi: builtFor } : {}),
      ...(packageDir !== undefined ? { package_dir: packageDir } : {}),
    },
  };
}
