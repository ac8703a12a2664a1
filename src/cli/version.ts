// The version string; the build replaces the environment lookup with the package version.

/** agentmux's version. */
export const VERSION: string = process.env.AGENTMUX_BUILD_VERSION ?? '0.0.0-dev';
