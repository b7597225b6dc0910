import { type FormEvent, useId, useState } from "react";
import { formatUtcDateTime } from "../../lib/format";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { EmptyState, LoadingBlock } from "../../ui/states";
import { TableScroll } from "../../ui/TableScroll";
import { type AuditEntry, type AuditQuery, useAuditFacets, useAuditPage } from "./queries";

const PAGE_SIZE = 50;

interface Filters {
  actor: string;
  entity: string;
  action: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { actor: "", entity: "", action: "", from: "", to: "" };

/** A `<input type="datetime-local">` value, read as the browser's local time, as ISO UTC. */
function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export function toAuditQuery(filters: Filters, cursor?: string): AuditQuery {
  const query: AuditQuery = { limit: PAGE_SIZE };
  if (filters.actor.trim()) query.actor = filters.actor.trim();
  if (filters.entity) query.entity = filters.entity;
  if (filters.action) query.action = filters.action;
  const since = localToIso(filters.from);
  const until = localToIso(filters.to);
  if (since) query.since = since;
  if (until) query.until = until;
  if (cursor) query.cursor = cursor;
  return query;
}

/** `{"role": "csm"}` → `role: "csm"`; compact, for one table cell. */
export function compactDetail(detail: AuditEntry["detail"]): string {
  if (!detail) return "";
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(", ");
}

/** A long id (a UUID) cut to its first 8 characters; the whole one is in the cell's title. */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

/** "ingest.events" → its family, "ingest." (the action filter matches by prefix). */
function families(actions: readonly string[]): string[] {
  return [...new Set(actions.map((a) => `${a.split(".")[0]}.`))].sort();
}

export function AuditTab() {
  const id = useId();
  const facets = useAuditFacets();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  // Pages after the first, by the cursor each was asked with; reset when the filters change.
  const [cursors, setCursors] = useState<string[]>([]);

  const rangeProblem =
    draft.from &&
    draft.to &&
    localToIso(draft.from) &&
    localToIso(draft.to) &&
    draft.to <= draft.from
      ? "“To” must be after “From”."
      : null;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (rangeProblem) return;
    setApplied(draft);
    setCursors([]);
  };

  const set = (field: keyof Filters) => (value: string) =>
    setDraft((d) => ({ ...d, [field]: value }));
  const actions = facets.data?.actions ?? [];

  return (
    <section className="card table-card" aria-labelledby="admin-audit-title">
      <div className="card-header">
        <h2 id="admin-audit-title">Audit log</h2>
        <span className="muted small">Every change, by whom, newest first</span>
      </div>
      <form className="card-body admin-filters" onSubmit={apply} aria-label="Audit log filters">
        <div className="field">
          <label className="field-label" htmlFor={`${id}-actor`}>
            Actor
          </label>
          <input
            id={`${id}-actor`}
            className="input input-sm"
            value={draft.actor}
            maxLength={320}
            placeholder="Email, system, cli"
            onChange={(e) => set("actor")(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-entity`}>
            Entity
          </label>
          <select
            id={`${id}-entity`}
            className="select select-sm"
            value={draft.entity}
            onChange={(e) => set("entity")(e.target.value)}
          >
            <option value="">Any</option>
            {(facets.data?.entities ?? []).map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-action`}>
            Action
          </label>
          <select
            id={`${id}-action`}
            className="select select-sm"
            value={draft.action}
            onChange={(e) => set("action")(e.target.value)}
          >
            <option value="">Any</option>
            {families(actions).map((f) => (
              <option key={f} value={f}>
                {f}*
              </option>
            ))}
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-from`}>
            From
          </label>
          <input
            id={`${id}-from`}
            className="input input-sm"
            type="datetime-local"
            value={draft.from}
            onChange={(e) => set("from")(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-to`}>
            To
          </label>
          <input
            id={`${id}-to`}
            className="input input-sm"
            type="datetime-local"
            value={draft.to}
            aria-invalid={rangeProblem !== null}
            aria-describedby={`${id}-to-error`}
            onChange={(e) => set("to")(e.target.value)}
          />
          {rangeProblem ? (
            <span id={`${id}-to-error`} className="field-error" role="alert">
              {rangeProblem}
            </span>
          ) : null}
        </div>
        <div className="admin-filter-actions">
          <button type="submit" className="btn btn-sm btn-primary" disabled={rangeProblem !== null}>
            Apply
          </button>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => {
              setDraft(NO_FILTERS);
              setApplied(NO_FILTERS);
              setCursors([]);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <AuditPages
        filters={applied}
        cursors={cursors}
        onMore={(c) => setCursors((cs) => [...cs, c])}
      />
    </section>
  );
}

function AuditPages({
  filters,
  cursors,
  onMore,
}: {
  filters: Filters;
  cursors: readonly string[];
  onMore: (cursor: string) => void;
}) {
  const pages = [undefined, ...cursors].map((cursor) => ({ cursor }));
  return (
    <TableScroll label="Audit log">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Entity</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        {pages.map(({ cursor }, index) => (
          <AuditRows
            key={cursor ?? "first"}
            query={toAuditQuery(filters, cursor)}
            last={index === pages.length - 1}
            onMore={onMore}
          />
        ))}
      </table>
    </TableScroll>
  );
}

/** One page of entries (a `<tbody>`); the last page offers the next. */
function AuditRows({
  query,
  last,
  onMore,
}: {
  query: AuditQuery;
  last: boolean;
  onMore: (cursor: string) => void;
}) {
  const page = useAuditPage(query);
  if (page.isPending) {
    return (
      <tbody>
        <tr>
          <td colSpan={5}>
            <LoadingBlock label="Loading the audit log" lines={3} />
          </td>
        </tr>
      </tbody>
    );
  }
  if (page.isError) {
    return (
      <tbody>
        <tr>
          <td colSpan={5} className="admin-wrap">
            <ProblemAlert error={page.error} title="Couldn't load the audit log" />
          </td>
        </tr>
      </tbody>
    );
  }
  const { items, next_cursor } = page.data;
  return (
    <tbody>
      {items.length === 0 && !query.cursor ? (
        <tr>
          <td colSpan={5}>
            <EmptyState title="Nothing matches these filters" />
          </td>
        </tr>
      ) : null}
      {items.map((e) => (
        <tr key={e.id}>
          <td>{formatUtcDateTime(e.at).replace(" UTC", "")}</td>
          <td title={e.actor}>{e.actor_label}</td>
          <td className="mono">{e.action}</td>
          <td>
            {e.entity}
            {e.entity_id ? (
              <span className="muted small mono" title={e.entity_id}>
                {" "}
                {shortId(e.entity_id)}
              </span>
            ) : null}
          </td>
          <td
            className="admin-detail mono small"
            title={e.detail ? JSON.stringify(e.detail) : undefined}
          >
            {compactDetail(e.detail)}
          </td>
        </tr>
      ))}
      {last && next_cursor ? (
        <tr>
          <td colSpan={5}>
            <button type="button" className="btn btn-sm" onClick={() => onMore(next_cursor)}>
              Load more
            </button>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}
