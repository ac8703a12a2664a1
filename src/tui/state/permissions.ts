// Pending ACP permission requests as the dashboard shows them. The relay methods
// (`permission.list|approve|deny`, `permission.requested`) are defined elsewhere and may change
// shape, so frames are read leniently here and anything unreadable is simply not shown.

/** One choice an agent offers (e.g. "Allow once", "Reject"). */
export interface PermissionOption {
  readonly id: string;
  readonly name: string;
  /** ACP option kind: allow_once, allow_always, reject_once, reject_always. */
  readonly kind: string;
}

/** A pending request from an agent for the operator to approve or deny. */
export interface PermissionRequest {
  readonly id: string;
  readonly session: string;
  readonly title: string;
  readonly options: readonly PermissionOption[];
  readonly createdAt: string | null;
}

type Loose = Record<string, unknown>;

const isRecord = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** Reads one request from a notification or list entry; undefined when it has no id or session. */
export function readPermissionRequest(raw: unknown): PermissionRequest | undefined {
  if (!isRecord(raw)) return undefined;
  const inner = isRecord(raw.request) ? raw.request : isRecord(raw.permission) ? raw.permission : raw;
  const id = text(inner.id) ?? text(inner.request_id) ?? text(inner.permission_id);
  const session = text(inner.session) ?? text(inner.agent) ?? text(inner.from);
  if (id === undefined || session === undefined) return undefined;
  const toolCall = isRecord(inner.tool_call) ? inner.tool_call : isRecord(inner.toolCall) ? inner.toolCall : {};
  const title =
    text(inner.title) ?? text(toolCall.title) ?? text(inner.description) ?? text(inner.kind) ?? 'permission';
  const options = Array.isArray(inner.options) ? inner.options.flatMap((option) => readOption(option)) : [];
  return { id, session, title, options, createdAt: text(inner.requested_at) ?? text(inner.created_at) ?? null };
}

function readOption(raw: unknown): PermissionOption[] {
  if (!isRecord(raw)) return [];
  const id = text(raw.id) ?? text(raw.option_id) ?? text(raw.optionId);
  if (id === undefined) return [];
  return [{ id, name: text(raw.name) ?? id, kind: text(raw.kind) ?? '' }];
}

/** Reads the answer of `permission.list` (an array, or `{requests}` / `{permissions}`). */
export function readPermissionList(raw: unknown): PermissionRequest[] {
  const list = Array.isArray(raw)
    ? raw
    : isRecord(raw) && Array.isArray(raw.requests)
      ? raw.requests
      : isRecord(raw) && Array.isArray(raw.permissions)
        ? raw.permissions
        : [];
  return list.flatMap((entry) => readPermissionRequest(entry) ?? []);
}

/** The id a resolution notification names (`{id}` or `{request: {id}}`). */
export function resolvedPermissionId(raw: unknown): string | undefined {
  return readPermissionRequest(raw)?.id ?? (isRecord(raw) ? (text(raw.id) ?? text(raw.request_id)) : undefined);
}

/** The option to pick for approve (first allow_once, then any allow) or deny (reject_once first). */
export function optionFor(request: PermissionRequest, decision: 'approve' | 'deny'): string | undefined {
  const prefix = decision === 'approve' ? 'allow' : 'reject';
  const once = request.options.find((option) => option.kind === `${prefix}_once`);
  return (once ?? request.options.find((option) => option.kind.startsWith(prefix)))?.id;
}
