import { formatDate, formatInteger, formatUtcDateTime } from "../../lib/format";
import { Pill } from "../../ui/Pill";
import { EmptyState } from "../../ui/states";
import { AlertActions } from "../alerts/AlertActions";
import { factsText } from "../alerts/facts";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import { accountAccess } from "./access";
import { PictureCard } from "./PictureCard";
import { daysAgo, severity } from "./picture";
import { type AlertView, refreshAccount } from "./queries";

function StatusNote({ alert }: { alert: AlertView }) {
  if (alert.status === "acknowledged") return <Pill tone="blue">Acknowledged</Pill>;
  if (alert.status === "snoozed") {
    return (
      <Pill title={formatUtcDateTime(alert.snoozed_until)}>
        Snoozed{alert.snoozed_until ? ` until ${formatDate(alert.snoozed_until)}` : ""}
      </Pill>
    );
  }
  return null;
}

/** Open, acknowledged and snoozed alerts, most severe first, with their actions. */
export function AlertsCard({ accountId }: { accountId: string }) {
  const { today, currency } = useReportingContext();
  const me = useMe();
  return (
    <PictureCard
      accountId={accountId}
      id="alerts"
      title="Open alerts"
      aside={(a) => <span className="muted">{formatInteger(a.alerts.length)}</span>}
    >
      {(a) => {
        const access = accountAccess(me.data?.role, a);
        return a.alerts.length === 0 ? (
          <EmptyState title="No open alerts">
            Alerts open here when one of the rules fires for this account.
          </EmptyState>
        ) : (
          <ul className="picture-list picture-alerts" aria-label="Open alerts">
            {a.alerts.map((alert) => {
              const meta = severity(alert.severity);
              const facts = factsText(alert.facts, { currency, rule: alert.rule });
              return (
                <li key={alert.id} className="picture-alert" data-testid="alert">
                  <div className="picture-alert-info">
                    <div className="picture-alert-head">
                      <Pill tone={meta.tone}>{meta.label}</Pill>
                      <span className="picture-alert-title" data-testid="alert-title">
                        {alert.title}
                      </span>
                      <StatusNote alert={alert} />
                    </div>
                    <div className="muted small">
                      <span title={formatUtcDateTime(alert.opened_at)}>
                        Opened {daysAgo(today, alert.opened_at)}
                      </span>
                      {facts ? ` · ${facts}` : ""}
                    </div>
                  </div>
                  {access.work ? (
                    <AlertActions
                      alertId={alert.id}
                      title={alert.title}
                      status={alert.status}
                      refresh={refreshAccount(accountId)}
                      confirm={false}
                      disabledReason={access.reason}
                    />
                  ) : null}
                </li>
              );
            })}
          </ul>
        );
      }}
    </PictureCard>
  );
}
