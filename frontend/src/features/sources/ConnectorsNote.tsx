import { useMeta } from "../meta/queries";

function onOff(on: boolean): string {
  return on ? "on" : "off";
}

/**
 * Which push connectors the server has switched on (`meta:get`): Stripe webhooks, Segment,
 * and whether Segment `group` calls create accounts. Nothing until meta has loaded.
 */
export function ConnectorsNote() {
  const connectors = useMeta().data?.connectors;
  if (!connectors) return null;
  return (
    <ul className="connectors-note" aria-label="Connectors" data-testid="connectors-note">
      <li title="Set by TEMPO_STRIPE_WEBHOOK_SECRET">
        Stripe webhooks: <strong>{onOff(connectors.stripe)}</strong>
      </li>
      <li title="Set by TEMPO_SEGMENT_WRITE_KEY">
        Segment: <strong>{onOff(connectors.segment)}</strong>
      </li>
      <li title="Whether Segment group traits create and update accounts">
        Segment group calls create accounts:{" "}
        <strong>{onOff(connectors.segment_group_accounts)}</strong>
        {connectors.segment_group_accounts
          ? null
          : " (set TEMPO_SEGMENT_GROUP_ACCOUNTS=true to turn on)"}
      </li>
    </ul>
  );
}
