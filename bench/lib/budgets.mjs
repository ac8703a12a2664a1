// The figures the summary shows, with the budgets of DESIGN.md "Performance budgets".
// `max` with `below: true` means strictly under (DESIGN.md writes "<"); plain `max` is "≤".
// A row with neither `max` nor `min` is shown for context only.

/** Benches in run order, each with the figures (keys of its JSON line) to summarise. */
export const BENCHES = [
  {
    name: 'relay-roundtrip',
    rows: [
      { key: 'send_p50_ms', label: 'send round trip p50', unit: 'ms', max: 0.3, below: true },
      { key: 'send_p99_ms', label: 'send round trip p99', unit: 'ms', max: 2, below: true },
      { key: 'send_max_ms', label: 'send round trip max', unit: 'ms' },
      { key: 'status_p50_ms', label: 'status round trip p50', unit: 'ms' },
      { key: 'status_p99_ms', label: 'status round trip p99', unit: 'ms' },
      { key: 'raw_send_p50_ms', label: 'send p50, bare socket', unit: 'ms' },
    ],
  },
  {
    name: 'durable-throughput',
    rows: [
      { key: 'msgs_per_s', label: 'durable throughput, 8 procs', unit: 'msg/s', min: 20_000 },
      { key: 'inproc_msgs_per_s', label: 'durable throughput, 1 proc', unit: 'msg/s' },
      { key: 'relay_cpu_us_per_msg', label: 'relay CPU per message, 8 procs', unit: 'µs' },
    ],
  },
  {
    name: 'send-startup',
    rows: [
      { key: 'ratio', label: 'send wall / node -e 0', unit: '×', max: 2, aim: 1.5 },
      { key: 'send_ms', label: 'agentmux send wall', unit: 'ms' },
      { key: 'node_ms', label: 'node -e 0 wall', unit: 'ms' },
      { key: 'version_ms', label: 'agentmux --version wall', unit: 'ms' },
      { key: 'cli_import_ms', label: 'node + import dist/cli.js', unit: 'ms' },
    ],
  },
  {
    name: 'hook-startup',
    rows: [
      { key: 'hook_over_node_ms', label: 'agentmux hook wall − node -e 0', unit: 'ms', max: 20 },
      { key: 'hook_ms', label: 'agentmux hook wall', unit: 'ms' },
      { key: 'ratio', label: 'hook wall / node -e 0', unit: '×' },
    ],
  },
  {
    name: 'bootstrap',
    rows: [
      { key: 'median_ms', label: 'first-use bootstrap median', unit: 'ms', max: 500, below: true },
      { key: 'relay_startup_logged_ms', label: 'spawn → relay logs start-up', unit: 'ms' },
      { key: 'relay_journal_open_logged_ms', label: 'spawn → relay journal open', unit: 'ms' },
    ],
  },
  {
    name: 'relay-rss',
    rows: [
      { key: 'peak_rss_mb', label: 'relay peak RSS, 50 sessions, 100k messages', unit: 'MB', max: 120, below: true },
      { key: 'after_rss_mb', label: 'relay RSS after the load', unit: 'MB' },
      { key: 'resumed_rss_mb', label: 'relay RSS restarted on that journal', unit: 'MB' },
      { key: 'idle_rss_mb', label: 'relay RSS idle', unit: 'MB' },
    ],
  },
  {
    name: 'tui-first-frame',
    rows: [
      { key: 'first_frame_ms', label: 'dashboard spawn → first frame, 10 sessions', unit: 'ms', max: 700, below: true },
      { key: 'first_frame_cpu_ms', label: '  its CPU time by then', unit: 'ms' },
      { key: 'ink_import_ms', label: 'node + import ink, react (node_modules)', unit: 'ms' },
    ],
  },
  {
    name: 'tmux-control',
    rows: [
      { key: 'control_display_p50_ms', label: 'display-message, control client p50', unit: 'ms' },
      { key: 'spawn_display_p50_ms', label: 'display-message, spawned tmux p50', unit: 'ms' },
      { key: 'display_ratio', label: 'display-message spawned / control', unit: '×' },
      { key: 'control_capture_p50_ms', label: 'capture-pane, control client p50', unit: 'ms' },
      { key: 'spawn_capture_p50_ms', label: 'capture-pane, spawned tmux p50', unit: 'ms' },
      { key: 'capture_ratio', label: 'capture-pane spawned / control', unit: '×' },
    ],
  },
  {
    name: 'tmux-injection',
    rows: [
      { key: 'paste_p50_ms', label: 'ready → 1 KiB on screen, paste p50', unit: 'ms', max: 20, below: true },
      { key: 'paste_p90_ms', label: 'ready → 1 KiB on screen, paste p90', unit: 'ms' },
      { key: 'literal_p50_ms', label: 'ready → 1 KiB on screen, send-keys p50', unit: 'ms' },
      { key: 'e2e_p50_ms', label: 'relay send → agent submitted p50', unit: 'ms' },
      { key: 'e2e_minus_submit_delay_p50_ms', label: '  the same minus the submit delay', unit: 'ms' },
    ],
  },
  {
    name: 'ask-latency',
    rows: [
      { key: 'library_p50_ms', label: 'ask → answer minus responder time p50', unit: 'ms', max: 150, below: true },
      { key: 'library_p99_ms', label: 'ask → answer minus responder time p99', unit: 'ms' },
      { key: 'cli_p50_ms', label: '`agentmux ask` process minus responder p50', unit: 'ms' },
    ],
  },
  {
    name: 'team-broadcast',
    rows: [
      { key: 'broadcast_p50_ms', label: '30 agents, broadcast → submitted p50', unit: 'ms', max: 400, below: true },
      { key: 'broadcast_p99_ms', label: '30 agents, broadcast → submitted p99', unit: 'ms', max: 1000, below: true },
      { key: 'broadcast_max_ms', label: '30 agents, broadcast → submitted max', unit: 'ms' },
      { key: 'waiting_relay_cpu_pct', label: 'relay CPU, 30 deliveries waiting (% core)', unit: '%' },
      { key: 'draft_cleared_p50_ms', label: 'draft cleared → submitted p50 (quiet 300 ms)', unit: 'ms' },
      { key: 'chain_ms', label: '10-hop reply chain, 3 agents', unit: 'ms', max: 4000, below: true },
      { key: 'chain_hop_relay_p50_ms', label: 'chain hop, journaled → submitted p50', unit: 'ms' },
    ],
  },
  {
    name: 'dashboard-attach',
    rows: [
      { key: 'open_p50_ms', label: 'dashboard Enter → pane on screen p50', unit: 'ms', max: 100 },
      { key: 'open_max_ms', label: 'dashboard Enter → pane on screen max', unit: 'ms' },
      { key: 'return_p50_ms', label: 'detach key → dashboard redrawn p50', unit: 'ms', max: 100 },
      { key: 'return_max_ms', label: 'detach key → dashboard redrawn max', unit: 'ms' },
    ],
  },
  {
    name: 'tui-scale',
    rows: [
      { key: 'first_frame_ms', label: 'dashboard first frame, 10k history', unit: 'ms', max: 10_000, below: true },
      { key: 'rss_mib', label: 'dashboard RSS, 10k history', unit: 'MiB', max: 250, below: true },
      { key: 'burst_lag_ms', label: 'burst of 2,000 → last one shown', unit: 'ms', max: 5_000, below: true },
      { key: 'keys_ms', label: '7 keys → thread view', unit: 'ms', max: 3_000, below: true },
    ],
  },
  {
    name: 'attach-flood',
    rows: [
      { key: 'open_p50_ms', label: 'attach spawn → pane on screen p50', unit: 'ms', max: 3_000, below: true },
      { key: 'detach_p50_ms', label: 'attach detach key → exit p50', unit: 'ms', max: 500, below: true },
      { key: 'flood_detach_ms', label: 'detach during a 50 MB flood', unit: 'ms', max: 500, below: true },
      { key: 'flood_peak_rss_mib', label: 'attach client RSS during the flood', unit: 'MiB', max: 200, below: true },
    ],
  },
  {
    name: 'relay-floods',
    rows: [
      { key: 'idle_total_ms', label: '20 sends among 200 idle connections', unit: 'ms', max: 1_000, below: true },
      { key: 'idle_max_ms', label: '  slowest of them', unit: 'ms', max: 500, below: true },
      { key: 'flood_max_ms', label: 'slowest send during a 16 MiB flood', unit: 'ms', max: 500, below: true },
      { key: 'flood_rss_growth_mib', label: 'relay RSS growth during the flood', unit: 'MiB', max: 150, below: true },
    ],
  },
  {
    name: 'acp-overhead',
    rows: [
      { key: 'overhead_ms', label: 'ACP prompt turn, relay overhead p50', unit: 'ms', max: 50, below: true },
      { key: 'relayed_p50_ms', label: 'ACP prompt turn relayed p50', unit: 'ms' },
      { key: 'direct_p50_ms', label: 'ACP prompt turn direct p50', unit: 'ms' },
    ],
  },
  {
    name: 'cross-host',
    rows: [
      { key: 'p50_ms', label: 'cross-host send → arrived p50', unit: 'ms', max: 5, below: true },
      { key: 'p99_ms', label: 'cross-host send → arrived p99', unit: 'ms', max: 25, below: true },
      { key: 'msgs_per_s', label: 'cross-host pipelined throughput', unit: 'msg/s' },
    ],
  },
];
