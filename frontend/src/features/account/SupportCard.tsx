import { useState } from "react";
import { DASH, formatDate, formatInteger, formatUtcDateTime, humanize } from "../../lib/format";
import { Pill } from "../../ui/Pill";
import { EmptyState } from "../../ui/states";
import { PictureCard } from "./PictureCard";
import { plural, priorityTone } from "./picture";
import type { OpenTicket } from "./queries";

const SHOWN = 8;

function TicketRow({ ticket }: { ticket: OpenTicket }) {
  const classes = [];
  if (ticket.priority <= 2) classes.push("ticket-urgent");
  if (ticket.sla_breached) classes.push("ticket-breached");
  const details = [ticket.source_id, ticket.product_area, humanize(ticket.status)].filter(Boolean);
  return (
    <tr
      className={classes.join(" ") || undefined}
      data-testid="ticket-row"
      data-breached={ticket.sla_breached}
    >
      <td>
        <Pill tone={priorityTone(ticket.priority)}>P{ticket.priority}</Pill>
      </td>
      <td className="picture-wrap">
        <span className="ticket-subject">{ticket.subject ?? ticket.source_id}</span>
        <span className="ticket-details">{details.join(" · ")}</span>
      </td>
      <td className="num" title={`Opened ${formatUtcDateTime(ticket.opened_at)}`}>
        {ticket.age_days < 1 ? "< 1 day" : plural(ticket.age_days, "day", "days")}
      </td>
      <td>
        <span className="ticket-flags">
          {ticket.sla_breached ? (
            <Pill tone="red" title={`SLA was due ${formatUtcDateTime(ticket.sla_due_at)}`}>
              SLA breached
            </Pill>
          ) : ticket.sla_due_at ? (
            <span className="small muted" title={formatUtcDateTime(ticket.sla_due_at)}>
              Due {formatDate(ticket.sla_due_at)}
            </span>
          ) : (
            <span className="muted">{DASH}</span>
          )}
          {ticket.escalated ? <Pill tone="amber">Escalated</Pill> : null}
        </span>
      </td>
    </tr>
  );
}

/** Open and pending tickets, most urgent and oldest first; P1/P2 and breached SLAs stand out. */
export function SupportCard({ accountId }: { accountId: string }) {
  const [showAll, setShowAll] = useState(false);
  return (
    <PictureCard
      accountId={accountId}
      id="tickets"
      title="Open tickets"
      aside={(a) => {
        const breached = a.tickets.filter((t) => t.sla_breached).length;
        const urgent = a.tickets.filter((t) => t.priority <= 2).length;
        return (
          <span className="muted small" data-testid="tickets-summary">
            {formatInteger(a.tickets.length)} open
            {urgent ? ` · ${formatInteger(urgent)} P1/P2` : ""}
            {breached ? ` · ${formatInteger(breached)} SLA breached` : ""}
          </span>
        );
      }}
    >
      {(a) => {
        if (a.tickets.length === 0) {
          return <EmptyState title="No open tickets">Nothing waiting on support.</EmptyState>;
        }
        const shown = showAll ? a.tickets : a.tickets.slice(0, SHOWN);
        return (
          <>
            <div className="table-scroll">
              <table className="table table-compact" aria-label="Open tickets">
                <thead>
                  <tr>
                    <th scope="col">Priority</th>
                    <th scope="col">Ticket</th>
                    <th scope="col" className="num">
                      Age
                    </th>
                    <th scope="col">SLA</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((t) => (
                    <TicketRow key={t.id} ticket={t} />
                  ))}
                </tbody>
              </table>
            </div>
            {a.tickets.length > SHOWN ? (
              <div className="picture-more">
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  onClick={() => setShowAll((v) => !v)}
                >
                  {showAll ? "Show fewer" : `Show all ${formatInteger(a.tickets.length)}`}
                </button>
              </div>
            ) : null}
          </>
        );
      }}
    </PictureCard>
  );
}
