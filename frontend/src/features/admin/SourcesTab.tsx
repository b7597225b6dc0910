import { useId, useState } from "react";
import { formatInteger, formatTimeAgo, formatUtcDateTime } from "../../lib/format";
import { useNow } from "../../lib/useNow";
import { Pill } from "../../ui/Pill";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { TableScroll } from "../../ui/TableScroll";
import { FieldError, ListState, serverFieldErrors } from "./fields";
import { type AdminUser, type DataSource, useSources, useUpdateSource, useUsers } from "./queries";

const MIN_DAYS = 1;
const MAX_DAYS = 365;

export function daysProblem(text: string): string | null {
  if (!/^\d+$/.test(text.trim())) return `A whole number of days, ${MIN_DAYS} to ${MAX_DAYS}.`;
  const n = Number(text);
  return n < MIN_DAYS || n > MAX_DAYS
    ? `A whole number of days, ${MIN_DAYS} to ${MAX_DAYS}.`
    : null;
}

export function SourcesTab() {
  const sources = useSources();
  const users = useUsers();
  const now = useNow();
  return (
    <section className="card table-card" aria-labelledby="admin-sources-title">
      <div className="card-header">
        <h2 id="admin-sources-title">Data sources</h2>
        <span className="muted small">
          A source is stale after its threshold without data; its owner is told
        </span>
      </div>
      <ListState
        query={sources}
        what="data sources"
        isEmpty={(data) => data.length === 0}
        emptyTitle="No data has arrived yet"
      >
        {(data) => (
          <TableScroll label="Data sources">
            <table className="table admin-sources">
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Last received</th>
                  <th scope="col" className="num">
                    Items
                  </th>
                  <th scope="col">Stale after (days)</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {data.map((s) => (
                  <SourceRow key={s.key} source={s} users={users.data ?? []} now={now} />
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </ListState>
    </section>
  );
}

function SourceRow({
  source,
  users,
  now,
}: {
  source: DataSource;
  users: readonly AdminUser[];
  now: number;
}) {
  const id = useId();
  const update = useUpdateSource();
  const [days, setDays] = useState(String(source.stale_after_days));
  const local = daysProblem(days);
  const server = serverFieldErrors(update.error);
  const dirty = days.trim() !== String(source.stale_after_days);
  const owners = users.filter((u) => u.is_active || u.id === source.owner_id);

  const saveDays = () => {
    if (local || !dirty) return;
    update.mutate({ key: source.key, body: { stale_after_days: Number(days) } });
  };

  return (
    <tr>
      <td>
        {source.name} <span className="muted small mono">{source.key}</span>
      </td>
      <td title={formatUtcDateTime(source.last_received_at)}>
        {formatTimeAgo(source.last_received_at, now)}
      </td>
      <td className="num">{formatInteger(source.items_received)}</td>
      <td className="admin-wrap">
        <form
          className="admin-actions"
          onSubmit={(e) => {
            e.preventDefault();
            saveDays();
          }}
        >
          <input
            id={`${id}-days`}
            className="input input-sm input-num"
            inputMode="numeric"
            value={days}
            aria-label={`Days before ${source.name} is stale`}
            aria-invalid={local !== null || server.has("stale_after_days")}
            aria-describedby={`${id}-days-error`}
            onChange={(e) => setDays(e.target.value)}
          />
          <button
            type="submit"
            className="btn btn-sm"
            disabled={local !== null || !dirty || update.isPending}
          >
            Save
          </button>
        </form>
        <FieldError
          id={`${id}-days-error`}
          messages={[...(local ? [local] : []), ...(server.get("stale_after_days") ?? [])]}
        />
      </td>
      <td className="admin-wrap">
        <select
          className="select select-sm"
          value={source.owner_id ?? ""}
          aria-label={`Owner of ${source.name}`}
          aria-invalid={server.has("owner_id")}
          aria-describedby={`${id}-owner-error`}
          disabled={update.isPending}
          onChange={(e) =>
            update.mutate({ key: source.key, body: { owner_id: e.target.value || null } })
          }
        >
          <option value="">Nobody</option>
          {owners.map((u) => (
            <option key={u.id} value={u.id} title={u.email}>
              {u.name ?? u.email}
            </option>
          ))}
          {source.owner_id && !owners.some((u) => u.id === source.owner_id) ? (
            <option value={source.owner_id}>{source.owner_email ?? "Unknown user"}</option>
          ) : null}
        </select>
        <FieldError id={`${id}-owner-error`} messages={server.get("owner_id") ?? []} />
        {update.isError && !server.size ? <ProblemAlert error={update.error} /> : null}
      </td>
      <td>{source.stale ? <Pill tone="amber">Stale</Pill> : <Pill tone="green">Fresh</Pill>}</td>
    </tr>
  );
}
